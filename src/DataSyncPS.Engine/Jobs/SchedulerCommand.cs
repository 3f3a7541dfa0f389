namespace DataSyncPS.Engine.Jobs;

/// <summary>A scheduler program and its arguments (never through a shell), with text for its standard input.</summary>
public sealed record SchedulerCommand(string FileName, IReadOnlyList<string> Arguments, string? Input = null)
{
    public override string ToString() =>
        string.Join(" ", new[] { FileName }.Concat(Arguments).Select(a => a.Length > 0 && !a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? a : "'" + a.Replace("'", "''") + "'"))
        + (Input is null ? "" : " < (the new crontab)");
}

/// <summary>What a scheduler program answered.</summary>
public sealed record SchedulerCommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs systemctl, crontab and schtasks. Tests give a fake that records the argv; with
/// DATASYNCPS_JOB_ROOT set, <see cref="RecordingSchedulerCommands"/> writes them to a file instead.</summary>
public interface ISchedulerCommands
{
    SchedulerCommandResult Run(SchedulerCommand command);
}
