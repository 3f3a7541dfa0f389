using System.Management.Automation;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.State;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Makes the target's structure match the source's (create missing tables, alter changed ones in
/// place; recreate, drop extras only when asked) and copies the rows of -IncludeData tables, then
/// validates. Plans first: -WhatIf shows the plan and touches nothing.</summary>
[Cmdlet(VerbsCommon.Copy, "DbStructure", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(StructureCopyResult))]
public sealed class CopyDbStructureCommand : SyncCmdlet
{
    private const int ProgressId = 43;

    [Parameter(Mandatory = true, Position = 0)]
    public SyncSource? Source { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public SyncSource? Target { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeTable { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Schema { get; set; }

    /// <summary>Tables whose rows are copied too (wildcards): the target's rows are replaced by the source's.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? IncludeData { get; set; }

    [Parameter]
    public SwitchParameter AllowRecreate { get; set; }

    [Parameter]
    public SwitchParameter RemoveExtra { get; set; }

    /// <summary>Rows per keyset page of a data table.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BatchSize { get; set; } = 50_000;

    /// <summary>Splits each data table into key ranges copied this many at a time, each checkpointed in
    /// the state store, so a killed copy resumes where it stopped.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Parallel { get; set; }

    /// <summary>The state store that keeps -Parallel's checkpoints (default: the user's state.db).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>The folder the safety backup of the target is written to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>Keeps the safety backup after the run validated.</summary>
    [Parameter]
    public SwitchParameter KeepBackup { get; set; }

    /// <summary>Writes a report of the run: Markdown, or HTML when the file ends in .html or .htm.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    [Parameter]
    public SwitchParameter NoBackup { get; set; }

    [Parameter]
    public SwitchParameter NoRollback { get; set; }

    protected override void EndProcessing()
    {
        Run();
        base.EndProcessing();
    }

    private void Run()
    {
        var options = new StructureCopyOptions
        {
            Filter = new SchemaFilter(Table, ExcludeTable),
            Schemas = Schema,
            IncludeData = IncludeData ?? [],
            AllowRecreate = AllowRecreate,
            RemoveExtra = RemoveExtra,
            PageSize = BatchSize,
            Parallel = Parallel,
            StatePath = StatePath is null ? null : ResolvePath(StatePath),
            NoBackup = NoBackup,
            NoRollback = NoRollback,
            KeepBackup = KeepBackup,
            SafetyNet = NoBackup ? null : new DumpSafetyNet(ResolvePath(BackupPath ?? Path.Combine(StateStore.DataHome, "copy-backups"))),
        };
        var plan = RunEngine(queue => StructureCopier.PlanAsync(Source!, Target!, options, StopToken, queue), target: Target);
        foreach (var step in plan.PlanSteps.Where(s => s.Action == CopyAction.Skip)) WriteWarning($"Not done: {step}");
        var where = $"{Target!.Provider} {Target.Location}";
        if (plan.IsEmpty)
        {
            WriteVerbose($"The structure of {where} already matches {Source!.Name}; nothing to do.");
            return;
        }
        // The whole plan is the ShouldProcess text: -WhatIf prints it, -Confirm shows it before asking.
        var description = $"Copy-DbStructure from {Source!.Name} to {where}:\n{plan.Describe()}";
        if (!ShouldProcess(description, description + "\nRun this plan?", "Copy-DbStructure")) return;

        var progress = new CopyProgress();
        var result = RunEngine(queue => StructureCopier.ExecuteAsync(plan, options, queue, progress, StopToken), () => Tick(progress), Target);
        WriteProgress(new ProgressRecord(ProgressId, "Copy-DbStructure", "Done") { RecordType = ProgressRecordType.Completed });
        if (ReportPath is not null)
        {
            var path = ResolvePath(ReportPath);
            RunEngine(() => { StructureCopyReport.Write(path, result, DateTimeOffset.Now); return 0; }, target: path);
            WriteVerbose($"Report written to '{path}'.");
        }
        WriteObject(result);
    }

    private void Tick(CopyProgress p)
    {
        var status = p.Activity ?? "Starting";
        if (status == "Copying rows" && p.Table is { } table)
        {
            var seconds = p.TableClock.Elapsed.TotalSeconds;
            status = $"{table} ({p.TableIndex} of {p.TableCount}): {p.TableRows:N0} rows, {(seconds > 0 ? p.TableRows / seconds : 0):N0} rows/s";
        }
        WriteProgress(new ProgressRecord(ProgressId, "Copy-DbStructure", status));
    }
}
