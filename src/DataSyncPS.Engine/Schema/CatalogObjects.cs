using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>A view: its SELECT as the engine normalises it, with the database's own name taken out
/// (SQL Server: its whole CREATE VIEW as written, which the server keeps).</summary>
public sealed record DbView(string? Schema, string Name, string Definition)
{
    public TableName TableName => new(Schema, Name);

    /// <summary>The views it reads, where the catalog says (SQL Server); null where its text is searched
    /// for their quoted names instead.</summary>
    public IReadOnlyList<TableName>? Reads { get; init; }
}

/// <summary>A trigger on a table. <see cref="Definition"/> is the engine's text without definer.</summary>
public sealed record DbTrigger(string? Schema, string Name, string Table, string Timing, string Event, string Definition);

/// <summary>A stored procedure or function. <see cref="Signature"/> tells overloads apart (PostgreSQL).
/// <see cref="Definition"/> is the whole CREATE statement without definer.</summary>
public sealed record DbRoutine(string? Schema, string Name, string Kind, string Signature, string Definition);

public sealed record DbSequence(string Schema, string Name, string DataType, long Start, long Increment, long Min, long Max, bool Cycle);

public sealed record DbEnumType(string Schema, string Name, IReadOnlyList<string> Labels);
