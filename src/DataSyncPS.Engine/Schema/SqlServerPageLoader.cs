using System.Data.Common;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Sources;
using Microsoft.Data.SqlClient;

namespace DataSyncPS.Engine.Schema;

/// <summary>SQL Server pages: the source's data reader streamed into <c>SqlBulkCopy</c> on the target, inside
/// the run's transaction (begun in T-SQL, which SqlBulkCopy joins as any statement on the connection does),
/// or, for a -Parallel worker, on a connection of the loader's own with each page its own transaction.
/// Identity values are kept, NULLs stay NULL (not the column's default), triggers do not fire and
/// constraints are not checked row by row: as on the other engines, checks are off for the load and the
/// rows verified after it (<see cref="AfterLoad"/>). SQL Server takes a page of any size, so none is
/// refused as too large. Also what differs around the load: the statements before and after it.</summary>
internal sealed partial class SqlServerPageLoader : PageLoader
{
    private readonly SqlConnection _target;
    private readonly bool _owned;

    private SqlServerPageLoader(SqlConnection target, bool owned, string table, IReadOnlyList<string> columns) : base(table, columns)
    {
        _target = target;
        _owned = owned;
    }

    /// <summary>Loads through the run's own connection (in its transaction), which it does not close.</summary>
    public static SqlServerPageLoader InTransaction(DbConnection target, string table, IReadOnlyList<string> columns) =>
        new((SqlConnection)target, owned: false, table, columns);

    /// <summary>Loads through a connection of its own, each page committed as it is loaded.</summary>
    public static async Task<SqlServerPageLoader> OpenAsync(SyncSource target, string table, IReadOnlyList<string> columns, CancellationToken ct) =>
        new((SqlConnection)await SourceConnector.OpenAsync(target, ct).ConfigureAwait(false), owned: true, table, columns);

    public override DbConnection Connection => _target;

    /// <summary>KeepIdentity: identity columns take the source's values. KeepNulls: a NULL is loaded as NULL,
    /// not replaced by the column's default. Not CheckConstraints nor FireTriggers: the rows are the source's,
    /// checked there; they are verified once after the load. In the run's transaction, TableLock: one lock
    /// instead of one per row (and a minimally logged load where the recovery model allows). On a worker's
    /// own connection, UseInternalTransaction instead, so a page commits whole or not at all; and no
    /// TableLock, which on a table with a clustered index is exclusive and would queue the other workers.</summary>
    public static SqlBulkCopyOptions Options(bool ownConnection) => SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls
        | (ownConnection ? SqlBulkCopyOptions.UseInternalTransaction : SqlBulkCopyOptions.TableLock);

    /// <summary>The bulk copy of one page: source column i into the target column of that name, the whole page
    /// one batch, no timeout, values streamed as they are read.</summary>
    public SqlBulkCopy CreateBulkCopy()
    {
        var bulk = new SqlBulkCopy(_target, Options(_owned), null)
        {
            DestinationTableName = Table, BulkCopyTimeout = 0, BatchSize = 0, EnableStreaming = true,
        };
        for (var i = 0; i < Columns.Count; i++) bulk.ColumnMappings.Add(new SqlBulkCopyColumnMapping(i, DestinationColumn(Columns[i])));
        return bulk;
    }

    /// <summary>A destination column as SqlBulkCopy wants it: it takes one pair of brackets off a name that
    /// starts with '[' and unescapes nothing, so the name goes in one pair of brackets as it is (a name that
    /// itself starts with '[' or holds ']' then still arrives whole).</summary>
    public static string DestinationColumn(string name) => "[" + name + "]";

    public override async Task<long> LoadAsync(DbConnection source, string select, IReadOnlyList<object?> args, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand();
        cmd.CommandText = select;
        for (var i = 0; i < args.Count; i++) SqlServerDialect.Instance.AddParameter(cmd, i, args[i]);
        // Not SequentialAccess: SqlBulkCopy reads a row's values in the target's column order, which may differ
        // from the source's (a column added later is last), and a sequential reader cannot go back.
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        using var bulk = CreateBulkCopy();
        await bulk.WriteToServerAsync(reader, ct).ConfigureAwait(false);
        return bulk.RowsCopied64;
    }

    public override bool IsTooLarge(Exception exception) => false;

    public override Task RecoverAsync(CancellationToken ct) => Task.CompletedTask;

    // The run's connection is the run's to close.
    public override ValueTask DisposeAsync() => _owned ? _target.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>A rowversion (timestamp) column: the server writes it and no load may, and its values differ
    /// between two databases by design, so it is neither copied nor checksummed.</summary>
    public static bool ServerAssigned(DbColumn column) =>
        column.Type.Equals("timestamp", StringComparison.OrdinalIgnoreCase) || column.Type.Equals("rowversion", StringComparison.OrdinalIgnoreCase);

    /// <summary>Before the first data table: the foreign keys from or to a data table dropped (TRUNCATE refuses
    /// a table any key references, even a disabled one; they are added back after, which checks every row),
    /// and the data tables emptied, except those a killed run left half copied (<paramref name="resumed"/>).</summary>
    public static IReadOnlyList<string> BeforeLoad(StructureCopyPlan plan, IReadOnlySet<TableName> resumed, IEnumerable<(DbTable Table, DbForeignKey Key)> keys)
    {
        var d = SqlServerDialect.Instance;
        var statements = keys.Select(k => $"ALTER TABLE {d.QuoteTable(k.Table.TableName)} DROP CONSTRAINT {d.QuoteIdentifier(k.Key.Name)}").ToList();
        statements.AddRange(plan.DataTables.Where(x => !resumed.Contains(x.TableName)).Select(x => "TRUNCATE TABLE " + d.QuoteTable(x.TableName)));
        return statements;
    }

    /// <summary>After the load: each data table's check constraints checked against its rows and trusted again
    /// (a bulk load without CheckConstraints marks them untrusted), identity columns and the sequences of
    /// integer columns defaulting to NEXT VALUE FOR continuing after the copied values, and the dropped
    /// foreign keys added back (WITH CHECK, SQL Server's default for a new key: every
    /// row is verified, and the error names the key a row breaks).</summary>
    public static IReadOnlyList<string> AfterLoad(StructureCopyPlan plan, IEnumerable<(DbTable Table, DbForeignKey Key)> keys)
    {
        var d = SqlServerDialect.Instance;
        var scripter = new SqlServerDdlScripter();
        var statements = new List<string>();
        foreach (var table in plan.DataTables)
        {
            var name = d.QuoteTable(table.TableName);
            statements.Add($"ALTER TABLE {name} WITH CHECK CHECK CONSTRAINT ALL");
            if (table.Columns.Any(c => c.Identity is not null))
                statements.Add($"DBCC CHECKIDENT ({scripter.Literal(name)}) WITH NO_INFOMSGS");
            foreach (var c in table.Columns)
                if (c.Default is not null && IntegerTypes.Contains(c.Type) && NextValueFor().Match(c.Default) is { Success: true } m)
                    statements.Add("EXEC sys.sp_executesql " + scripter.Literal(SequenceAdvance(name, c.Name, m.Groups[1].Value)));
        }
        statements.AddRange(keys.Select(k => $"ALTER TABLE {d.QuoteTable(k.Table.TableName)} ADD {scripter.ForeignKeyDefinition(k.Key)}"));
        return statements;
    }

    private static readonly HashSet<string> IntegerTypes = new(StringComparer.OrdinalIgnoreCase) { "tinyint", "smallint", "int", "bigint" };

    /// <summary>A default that is exactly the next value of a sequence (a name of up to three bracketed or plain parts).</summary>
    [GeneratedRegex(@"^NEXT\s+VALUE\s+FOR\s+((?:\[(?:[^\]]|\]\])*\]|[\w@#$]+)(?:\s*\.\s*(?:\[(?:[^\]]|\]\])*\]|[\w@#$]+)){0,2})$", RegexOptions.IgnoreCase)]
    private static partial Regex NextValueFor();

    /// <summary>Moves <paramref name="sequence"/> past the highest copied value of the column, never back and
    /// only when it counts up: the copied rows came with their numbers, and the next insert must not reuse one.
    /// ALTER SEQUENCE takes only a constant, so the statement is made from the value.</summary>
    internal static string SequenceAdvance(string quotedTable, string column, string sequence)
    {
        var scripter = new SqlServerDdlScripter();
        var max = $"(SELECT MAX({SqlServerDialect.Instance.QuoteIdentifier(column)}) FROM {quotedTable})";
        return $"""
            DECLARE @m bigint = {max};
            IF @m IS NOT NULL AND EXISTS (SELECT 1 FROM sys.sequences WHERE object_id = OBJECT_ID({scripter.Literal(sequence)}) AND increment > 0 AND CONVERT(bigint, current_value) < @m)
            BEGIN
                DECLARE @restart nvarchar(max) = {scripter.Literal("ALTER SEQUENCE " + sequence + " RESTART WITH ")} + CONVERT(nvarchar(20), @m + 1);
                EXEC (@restart);
            END
            """;
    }
}
