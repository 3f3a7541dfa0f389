namespace DataSyncPS.Engine.Tables;

/// <summary>The DDL a batch needs before it can be written: create the schema and table, or add the
/// columns of fields the table has no column for. Shown as it is under -WhatIf.</summary>
public sealed record TableChange(bool CreatesTable, IReadOnlyList<TableColumn> NewColumns, IReadOnlyList<string> Statements)
{
    public bool IsEmpty => Statements.Count == 0;
}
