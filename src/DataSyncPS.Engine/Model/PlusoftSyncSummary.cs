namespace DataSyncPS;

/// <summary>What one Sync-Plusoft run did for one entity.</summary>
public sealed class PlusoftSyncSummary
{
    public required string Entity { get; init; }
    /// <summary>The view (or table) the rows came from.</summary>
    public required string Source { get; init; }
    /// <summary>"incremental by DTAALTERACAO", or the whole view each run.</summary>
    public required string Mode { get; init; }
    public long Rows { get; init; }
    public long Batches { get; init; }
    public long Delivered { get; init; }
    public long Rejected { get; init; }
    public long RejectedRows { get; init; }
    /// <summary>Of <see cref="Rows"/>, those of the look-back window (LookbackDays): at or before the
    /// watermark the run started from, sent again (upserted by key) or posted late.</summary>
    public long LookbackRows { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Where the next run continues: the key of the last batch committed (none once a whole-view pass is complete).</summary>
    public string? Watermark { get; init; }
    /// <summary>Rejected batches of the entity still waiting for -Pending, this run's included.</summary>
    public long Pending { get; init; }
    /// <summary>The route log file written, with -LogDirectory.</summary>
    public string? LogFile { get; init; }

    public override string ToString() => $"{Entity}: {Rows:N0} rows, {Delivered:N0} delivered, {Rejected:N0} rejected";
}
