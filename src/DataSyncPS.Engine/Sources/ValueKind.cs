namespace DataSyncPS.Engine.Sources;

/// <summary>How a column's value is read and written to JSONL (DESIGN contract 3).</summary>
public enum ValueKind
{
    String,
    Boolean,
    Int32,
    Int64,
    UInt64,
    /// <summary>Read as System.Decimal; a value it cannot hold is written from <see cref="SqlDialect.ReadExactText"/>.</summary>
    Decimal,
    /// <summary>A decimal always written from the provider's exact text: System.Decimal would round it
    /// without a word (MySQL/MariaDB DECIMAL has up to 65 digits).</summary>
    DecimalText,
    Double,
    /// <summary>float4/FLOAT/real: written in its own shortest form, not widened to double (0.1, not 0.10000000149011612).</summary>
    Single,
    /// <summary>Timestamp without offset; written with the source's time zone offset.</summary>
    Timestamp,
    /// <summary>Timestamp stored as an instant (timestamptz); written in UTC with +00:00.</summary>
    TimestampUtc,
    TimestampOffset,
    /// <summary>A date read as DateTime.</summary>
    Date,
    DateOnly,
    /// <summary>Time of day or MySQL TIME (a duration up to 838 hours): [-]HH:mm:ss[.fffffff].</summary>
    Time,
    /// <summary>Time of day with an offset (PostgreSQL timetz): HH:mm:ss[.fffffff]+hh:mm.</summary>
    TimeOffset,
    /// <summary>An interval that may hold months (PostgreSQL interval): an ISO 8601 duration string from
    /// <see cref="SqlDialect.ReadExactText"/>.</summary>
    Duration,
    Guid,
    Binary,
    /// <summary>Text that holds JSON; written as JSON, not as a string.</summary>
    Json,
    /// <summary>Anything else (arrays, ranges, network types...): written by its CLR value.</summary>
    Other,
}
