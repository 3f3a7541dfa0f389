using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>A base table: its columns in ordinal order and the keys, indexes and constraints on it.
/// <see cref="Schema"/> is null on MySQL/MariaDB, whose tables live in the connection's database.</summary>
public sealed class DbTable
{
    public string? Schema { get; init; }
    public required string Name { get; init; }
    public List<DbColumn> Columns { get; } = [];
    public DbKey? PrimaryKey { get; set; }
    /// <summary>Unique constraints (PostgreSQL); on MySQL/MariaDB a unique key is an index.</summary>
    public List<DbKey> UniqueConstraints { get; } = [];
    public List<DbIndex> Indexes { get; } = [];
    public List<DbForeignKey> ForeignKeys { get; } = [];
    public List<DbCheck> Checks { get; } = [];
    public string? Comment { get; set; }
    /// <summary>MySQL/MariaDB storage engine (InnoDB).</summary>
    public string? Engine { get; set; }
    /// <summary>MySQL/MariaDB default collation of the table (its charset follows from it).</summary>
    public string? Collation { get; set; }

    public TableName TableName => new(Schema, Name);

    public override string ToString() => TableName.ToString();
}

/// <summary>A column, with the type as the engine canonically spells it (<c>int</c>, not <c>int(11)</c>).</summary>
public sealed class DbColumn
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public bool Nullable { get; init; }
    /// <summary>The default as an SQL expression; null when there is none (or it is NULL).</summary>
    public string? Default { get; init; }
    /// <summary>SQL Server: the name of the default's constraint, which changing the default or the column drops first.</summary>
    public string? DefaultName { get; init; }
    /// <summary>SQL Server: <see cref="DefaultName"/> was made up by the server (DF__t__c__3B75D760), so a
    /// script leaves the name to the server again and a comparison ignores it.</summary>
    public bool DefaultSystemNamed { get; init; }
    /// <summary>Only when it differs from the table's (MySQL) or the type's (PostgreSQL) default.</summary>
    public string? Collation { get; init; }
    public string? Charset { get; init; }
    /// <summary>MySQL AUTO_INCREMENT.</summary>
    public bool AutoIncrement { get; init; }
    /// <summary>PostgreSQL identity: "ALWAYS" or "BY DEFAULT"; SQL Server: seed and increment ("1,1"); null for none.</summary>
    public string? Identity { get; init; }
    public string? GeneratedExpression { get; init; }
    /// <summary>Stored (true) or virtual (false) when <see cref="GeneratedExpression"/> is set.</summary>
    public bool GeneratedStored { get; init; }
    /// <summary>MySQL "on update current_timestamp()".</summary>
    public string? OnUpdate { get; init; }
    public string? Comment { get; init; }

    public bool IsGenerated => GeneratedExpression is not null;

    public override string ToString() => Name;
}

/// <summary>A primary key or unique constraint: its name and columns in key order.</summary>
public sealed record DbKey(string Name, IReadOnlyList<string> Columns)
{
    /// <summary>The engine's own text for it (PostgreSQL pg_get_constraintdef), when there is one.</summary>
    public string? Definition { get; init; }
    /// <summary>SQL Server: the name was made up by the server (PK__t__3213E83F...): known by its definition instead.</summary>
    public bool SystemNamed { get; init; }
    /// <summary>SQL Server: whether the key's index is the clustered one; null elsewhere.</summary>
    public bool? Clustered { get; init; }
}

/// <summary>An index that is not a primary key or (PostgreSQL) unique constraint.</summary>
public sealed class DbIndex
{
    public required string Name { get; init; }
    public bool Unique { get; init; }
    /// <summary>MySQL: BTREE, HASH, FULLTEXT, SPATIAL. SQL Server: CLUSTERED, NONCLUSTERED, CLUSTERED COLUMNSTORE,
    /// NONCLUSTERED COLUMNSTORE.</summary>
    public string? Method { get; init; }
    public List<DbIndexPart> Parts { get; } = [];
    /// <summary>SQL Server: the INCLUDE columns (a nonclustered columnstore index's columns).</summary>
    public List<string> Included { get; } = [];
    /// <summary>SQL Server: a filtered index's WHERE, as the server wrote it.</summary>
    public string? Filter { get; init; }
    /// <summary>PostgreSQL: the whole CREATE INDEX statement as pg_get_indexdef writes it.</summary>
    public string? Definition { get; init; }
}

/// <summary>One key part: a column (or, MySQL 8, an expression), its order and prefix length.</summary>
public sealed record DbIndexPart(string? Column, string? Expression, bool Descending, int? PrefixLength);

public sealed class DbForeignKey
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required TableName ReferencedTable { get; init; }
    public required IReadOnlyList<string> ReferencedColumns { get; init; }
    public string OnDelete { get; init; } = "NO ACTION";
    public string OnUpdate { get; init; } = "NO ACTION";
    /// <summary>PostgreSQL: pg_get_constraintdef's text.</summary>
    public string? Definition { get; init; }
    /// <summary>SQL Server: the name was made up by the server (FK__t__c__...): known by its definition instead.</summary>
    public bool SystemNamed { get; init; }
}

public sealed record DbCheck(string Name, string Expression)
{
    /// <summary>SQL Server: the name was made up by the server (CK__t__c__...): known by its definition instead.</summary>
    public bool SystemNamed { get; init; }
}
