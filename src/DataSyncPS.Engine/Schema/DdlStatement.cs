using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>When a statement runs in a migration: dependants go before what they depend on is changed,
/// tables exist before foreign keys point at them (so cycles need nothing special), views and triggers
/// come after the tables and routines they use.</summary>
public enum DdlPhase
{
    DropForeignKeys,
    DropDependents,
    CreateTypes,
    CreateTables,
    DropConstraints,
    AlterColumns,
    AddConstraints,
    DropTables,
    AddForeignKeys,
    CreateRoutines,
    CreateViews,
    CreateTriggers,
    DropTypes,
}

/// <summary>One DDL statement of a migration. <see cref="Delimited"/> marks a compound statement
/// (MySQL routine or trigger body) that a script for the mysql client must wrap in DELIMITER.</summary>
public sealed record DdlStatement(DdlPhase Phase, string Sql, TableName? Table = null, bool LosesData = false, bool Delimited = false);
