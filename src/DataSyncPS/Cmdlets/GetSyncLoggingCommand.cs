using System.Management.Automation;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Shows the logging setting in force (session, else user, else machine) with where it comes
/// from and today's log file; with -Scope, that scope's own setting.</summary>
[Cmdlet(VerbsCommon.Get, "SyncLogging")]
[OutputType(typeof(SyncLoggingSetting))]
public sealed class GetSyncLoggingCommand : SyncCmdlet
{
    [Parameter(Position = 0)]
    public SyncLoggingScope[]? Scope { get; set; }

    protected override void ProcessRecord()
    {
        if (Scope is null)
        {
            WriteObject(RunEngine(ModuleLogging.Effective));
            return;
        }
        foreach (var scope in Scope.Distinct())
        {
            var setting = scope == SyncLoggingScope.Session ? ModuleLogging.Session?.Setting : RunEngine(() => LoggingSettingsFile.Read(scope), scope);
            if (setting is not null) WriteObject(setting);
        }
    }
}
