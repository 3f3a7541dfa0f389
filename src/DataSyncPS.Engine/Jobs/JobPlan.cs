namespace DataSyncPS.Engine.Jobs;

/// <summary>What registering or removing a job does, in order, before anything is done: -WhatIf shows it,
/// the registrar carries it out, tests read it.</summary>
public sealed class JobPlan
{
    private readonly List<JobStep> _steps = [];

    public IReadOnlyList<JobStep> Steps => _steps;

    public IEnumerable<JobFile> Files => _steps.OfType<WriteFileStep>().Select(s => s.File);

    public IEnumerable<SchedulerCommand> Commands => _steps.OfType<RunCommandStep>().Select(s => s.Command);

    public JobPlan Write(JobFile file) { _steps.Add(new WriteFileStep(file)); return this; }

    public JobPlan Delete(string path) { _steps.Add(new DeleteFileStep(path)); return this; }

    public JobPlan CreateFolder(string path) { _steps.Add(new CreateFolderStep(path)); return this; }

    public JobPlan CreateLog(string path, string owner) { _steps.Add(new CreateLogStep(path, owner)); return this; }

    public JobPlan Run(SchedulerCommand command) { _steps.Add(new RunCommandStep(command)); return this; }

    /// <summary>The file at a path, for tests.</summary>
    public JobFile File(string fileName) => Files.Single(f => Path.GetFileName(f.Path) == fileName);
}

public abstract record JobStep
{
    /// <summary>What -WhatIf prints for this step.</summary>
    public abstract string Describe();
}

public sealed record WriteFileStep(JobFile File) : JobStep
{
    public override string Describe() => $"Write '{File.Path}'" + (File.Mode is { } m ? $" (mode {Convert.ToString((int)m, 8)})" : "") + ":\n" + File.Content.TrimEnd('\n');
}

public sealed record DeleteFileStep(string Path) : JobStep
{
    public override string Describe() => $"Delete '{Path}'";
}

public sealed record CreateFolderStep(string Path) : JobStep
{
    public override string Describe() => $"Create the folder '{Path}' (if missing)";
}

/// <summary>The log file of a cron job run as another account, made beforehand and given to that account:
/// cron's shell runs nothing when its "&gt;&gt; log" cannot be opened, and the account cannot create files in
/// root's /var/log/datasyncps.</summary>
public sealed record CreateLogStep(string Path, string Owner) : JobStep
{
    public override string Describe() => $"Create the log file '{Path}' (if missing), owned by {Owner}";
}

public sealed record RunCommandStep(SchedulerCommand Command) : JobStep
{
    public override string Describe() => "Run: " + Command;
}

/// <summary>A file a job consists of. Task XML is written as UTF-16, as schtasks.exe reads it.</summary>
public sealed record JobFile(string Path, string Content, UnixFileMode? Mode = null, bool Utf16 = false);
