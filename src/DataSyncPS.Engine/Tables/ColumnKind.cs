namespace DataSyncPS.Engine.Tables;

/// <summary>What the table writer knows how to put in a column: the value is converted in .NET first,
/// so a value the column cannot take rejects its record alone, not the batch. <see cref="Other"/> is a
/// column type the writer does not convert (staged as text and cast by the server).</summary>
public enum ColumnKind
{
    BigInt,
    Integer,
    SmallInt,
    Numeric,
    Double,
    Real,
    Boolean,
    Text,
    TimestampTz,
    Timestamp,
    Date,
    Jsonb,
    Json,
    Uuid,
    Other,
}
