using System.Management.Automation;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Cmdlets;

/// <summary>Prunes a state store: confirmed batch records and finished runs older than a number of
/// days. Unsent batches and each stream's last run always stay; watermarks are untouched.</summary>
[Cmdlet(VerbsCommon.Clear, "SyncHistory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class ClearSyncHistoryCommand : SyncCmdlet
{
    [Parameter(Position = 0)]
    [ValidateRange(0, 36500)]
    public int OlderThanDays { get; set; } = 30;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    protected override void ProcessRecord()
    {
        var path = StatePath is null ? null : ResolvePath(StatePath);
        var before = DateTimeOffset.UtcNow.AddDays(-OlderThanDays);
        if (!ShouldProcess($"state store '{path ?? StateStore.DefaultPath}'",
                $"Remove confirmed batch records and finished runs older than {before.ToLocalTime():g}")) return;
        var (batches, runs) = RunEngine(() => { using var store = StateStore.OpenExisting(path); return store.Prune(before); }, target: path);
        WriteVerbose($"Removed {batches:N0} confirmed batch record(s) and {runs:N0} run(s) older than {OlderThanDays} day(s).");
    }
}
