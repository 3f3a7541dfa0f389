namespace DataSyncPS;

/// <summary>One batch of Sync-Plusoft: delivered or rejected, with its key range.</summary>
public sealed class PlusoftBatchResult
{
    /// <summary>Filiais, Produtos, Clientes or Vendas.</summary>
    public required string Entity { get; init; }
    /// <summary>The batch's number in the entity's stream (its record in the state store).</summary>
    public required long Sequence { get; init; }
    public required PlusoftBatchStatus Status { get; init; }
    public required long Rows { get; init; }
    /// <summary>Size of the JSON sent.</summary>
    public long Bytes { get; init; }
    /// <summary>Key (cursor and key columns) of the batch's first and last row.</summary>
    public string? FirstKey { get; init; }
    public string? LastKey { get; init; }
    /// <summary>The API's id of the stored batch ("lote").</summary>
    public string? BatchId { get; init; }
    /// <summary>HTTP status of the last answer (0 when the batch was not sent: a record could not be mapped).</summary>
    public int HttpStatus { get; init; }
    /// <summary>Calls made for the batch, retries included.</summary>
    public int Attempts { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Why it was rejected: the API's message and the records it named, or the mapping problem.</summary>
    public string? Message { get; init; }
    /// <summary>Whether this was a rejected batch sent again (-Pending).</summary>
    public bool Retried { get; init; }
    /// <summary>Rows of the look-back window (LookbackDays): their cursor is at or before the watermark the
    /// run started from, so each was sent before (Plusoft upserts it again by its key) or was posted late.</summary>
    public long LookbackRows { get; init; }
    public required string IdempotencyKey { get; init; }

    public override string ToString() => $"{Entity}#{Sequence} {Status}";
}
