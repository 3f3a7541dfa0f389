using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>One comparable object of a catalog: matched with the other side's by kind and key, equal
/// when the definitions (the dialect's canonical text) are equal.</summary>
public sealed record SchemaItem(SchemaObjectKind Kind, string Key, string Name, DbTable? Table, string Definition, object Payload)
{
    public TableName? TableName => Table?.TableName;
}
