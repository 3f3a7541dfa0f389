namespace DataSyncPS.Engine.Tables;

/// <summary>A column of the target table: its name as the catalog spells it, the SQL type as the
/// server writes it (for staging tables and casts), and what the writer converts values to.</summary>
public sealed record TableColumn(string Name, string SqlType, ColumnKind Kind);
