using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Hosting;

/// <summary>The sources connected in each runspace, newest last: what tab completion of -Table lists
/// when no -Source is bound and no variable is piped (the source usually arrives through the pipeline).
/// Kept per runspace because runspaces share the process (ForEach-Object -Parallel, hosted editors):
/// one runspace's connect must not change what another completes.</summary>
internal static class SessionSources
{
    private static readonly ConditionalWeakTable<Runspace, List<SyncSource>> ByRunspace = new();

    public static void Remember(SyncSource source)
    {
        if (Runspace.DefaultRunspace is not { } runspace) return;
        var sources = ByRunspace.GetOrCreateValue(runspace);
        lock (sources)
        {
            sources.RemoveAll(s => s.Identity == source.Identity);
            sources.Add(source);
            if (sources.Count > 20) sources.RemoveAt(0);
        }
    }

    public static SyncSource? Last
    {
        get
        {
            if (Runspace.DefaultRunspace is not { } runspace || !ByRunspace.TryGetValue(runspace, out var sources)) return null;
            lock (sources) return sources.Count == 0 ? null : sources[^1];
        }
    }
}
