using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>One database's structure as its catalog describes it, normalised so that two databases of the
/// same engine compare by meaning, not by spelling. Both the comparer and the copier read only this.</summary>
public sealed class DbCatalog
{
    public required ProviderKind Provider { get; init; }
    public required string Database { get; init; }
    public List<DbTable> Tables { get; } = [];
    public List<DbView> Views { get; } = [];
    public List<DbTrigger> Triggers { get; } = [];
    /// <summary>MySQL/MariaDB procedures and functions; PostgreSQL functions and procedures.</summary>
    public List<DbRoutine> Routines { get; } = [];
    /// <summary>PostgreSQL sequences not owned by an identity column.</summary>
    public List<DbSequence> Sequences { get; } = [];
    /// <summary>PostgreSQL enum types.</summary>
    public List<DbEnumType> EnumTypes { get; } = [];

    public DbTable? FindTable(TableName name) =>
        Tables.FirstOrDefault(t => t.Name == name.Name && (name.Schema is null || t.Schema == name.Schema));
}
