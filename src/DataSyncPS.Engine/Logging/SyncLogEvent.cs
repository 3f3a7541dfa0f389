namespace DataSyncPS.Engine.Logging;

/// <summary>One event for the log files and Seq: what happened (rendered message, no template), in
/// which cmdlet run and stream, and the run's counts so far. Messages never hold a secret (DESIGN
/// contract 5): they are the cmdlets' own verbose, warning and error text.</summary>
public sealed record SyncLogEvent
{
    public required DateTimeOffset Timestamp { get; init; }
    public required SyncLogLevel Level { get; init; }
    public required string Message { get; init; }
    public string? Cmdlet { get; init; }
    public string? RunId { get; init; }
    /// <summary>The data stream (table, query or log stream) the event is about.</summary>
    public string? Stream { get; init; }
    public long? Rows { get; init; }
    public long? Batches { get; init; }
    public long? Bytes { get; init; }
    public TimeSpan? Duration { get; init; }
    /// <summary>An error's ErrorId (TableNotFound, RemoteCallFailed...).</summary>
    public string? ErrorId { get; init; }
    /// <summary>Anything else worth a field: strings, numbers, booleans.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}
