namespace DataSyncPS;

/// <summary>A failure the engine understands; its message never holds a secret.</summary>
public sealed class SyncException : Exception
{
    public SyncException(SyncErrorKind kind, string message, Exception? inner = null, string? target = null)
        : base(message, inner)
    {
        Kind = kind;
        Target = target;
    }

    public SyncErrorKind Kind { get; }

    /// <summary>The input the error is about (server/database, table, file), for the error record.</summary>
    public string? Target { get; }
}
