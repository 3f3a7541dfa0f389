namespace DataSyncPS.Engine.Backup;

/// <summary>How to run a tool: its path, its arguments (no secret ever), and the environment it gets
/// (where PGPASSWORD goes).</summary>
internal sealed record ToolInvocation(string Path, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment);
