namespace DataSyncPS;

/// <summary>How much goes into the log files and Seq; the names are Seq's (CLEF @l), in the order of
/// PowerShell's streams: Verbose includes the -Verbose messages (SQL statements, retries).</summary>
public enum SyncLogLevel
{
    Verbose,
    Information,
    Warning,
    Error,
}
