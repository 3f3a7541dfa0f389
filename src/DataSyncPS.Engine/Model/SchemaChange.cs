namespace DataSyncPS;

/// <summary>How the difference side differs from the reference: Added means the reference has the object
/// and the difference side lacks it (its DDL adds it), Removed that only the difference side has it (its
/// DDL drops it), Changed that both have it, defined differently.</summary>
public enum SchemaChange
{
    Added,
    Removed,
    Changed,
}
