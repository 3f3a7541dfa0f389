namespace DataSyncPS;

/// <summary>One difference between two databases' schemas, with the DDL that makes the difference side
/// match the reference.</summary>
public sealed class SchemaDifference
{
    public required SchemaObjectKind ObjectKind { get; init; }
    /// <summary>The object's name; a column, key, index or constraint is prefixed by its table (<c>orders.total</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The table the object belongs to, when it belongs to one.</summary>
    public string? Table { get; init; }
    public required SchemaChange Change { get; init; }
    public string? ReferenceDefinition { get; init; }
    public string? DifferenceDefinition { get; init; }
    /// <summary>The statements, each ending with a semicolon, one per line.</summary>
    public required string Ddl { get; init; }
    /// <summary>True when running <see cref="Ddl"/> discards data (a dropped table or column, a rebuilt column).</summary>
    public bool LosesData { get; init; }
    public string? Reference { get; init; }
    public string? Difference { get; init; }

    internal IReadOnlyList<Engine.Schema.DdlStatement> Statements { get; init; } = [];

    public override string ToString() => $"{Change} {ObjectKind} {Name}";
}
