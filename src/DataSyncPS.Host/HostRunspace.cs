using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DataSyncPS.Host;

/// <summary>
/// The runspace pwsh's console host opens for the script. ConsoleShell does not hand it out, so the host
/// imports its own assembly as a module, and this initializer, run inside that runspace as it opens,
/// takes it: a stop signal needs it to stop the running pipeline.
/// </summary>
public sealed class HostRunspace : IModuleAssemblyInitializer
{
    private static Runspace? s_runspace;

    public void OnImport() => Interlocked.CompareExchange(ref s_runspace, Runspace.DefaultRunspace, null);

    internal static void Stop() => s_runspace?.CloseAsync();
}
