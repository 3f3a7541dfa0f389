namespace DataSyncPS.Hosting;

/// <summary>The sources connected in this process, newest last: what tab completion of -Table lists
/// when no -Source is bound yet (the source usually arrives through the pipeline).</summary>
internal static class SessionSources
{
    private static readonly List<SyncSource> Sources = new();

    public static void Remember(SyncSource source)
    {
        lock (Sources)
        {
            Sources.RemoveAll(s => s.Identity == source.Identity);
            Sources.Add(source);
            if (Sources.Count > 20) Sources.RemoveAt(0);
        }
    }

    public static SyncSource? Last
    {
        get { lock (Sources) return Sources.Count == 0 ? null : Sources[^1]; }
    }
}
