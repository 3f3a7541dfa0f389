namespace DataSyncPS;

/// <summary>What kind of schema object a <see cref="SchemaDifference"/> is about.</summary>
public enum SchemaObjectKind
{
    Table,
    Column,
    PrimaryKey,
    UniqueConstraint,
    Index,
    ForeignKey,
    CheckConstraint,
    View,
    Trigger,
    Routine,
    Sequence,
    EnumType,
}
