namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>How far one log file has been read: its name when last seen, its identity, the byte
/// offset of the next unread entry and that entry's 1-based line number.</summary>
public sealed record LogFileMark(string Name, LogFileIdentity Identity, long Offset, long Line);
