namespace DataSyncPS.Engine.Backup;

public sealed class RestoreOptions
{
    public string? ToolPath { get; init; }
    /// <summary>Create the target database first (it must not exist).</summary>
    public bool CreateDatabase { get; init; }
    /// <summary>Restore over the database the backup came from.</summary>
    public bool Force { get; init; }
    /// <summary>Drop every object of the target first, so it ends exactly as the backup was (a rollback).</summary>
    internal bool ReplaceContents { get; init; }
    /// <summary>A sandbox restore (verification): drop the database once its rows are counted.</summary>
    internal bool DropAfterwards { get; init; }
}
