using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;
using Microsoft.Data.SqlClient;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>
/// Copy-DbStructure's SQL Server row copy without a server (SQL Server cannot run here): every statement the
/// copy sends is generated for a table with hostile names and a composite key and parsed by SQL Server's own
/// parser as one statement, and the bulk copy's setup is checked as objects. The copy runs against a real
/// server in SqlServer/SqlServerSchemaTests when DATASYNC_TEST_SQLSERVER is set.
/// </summary>
public class SqlServerDataCopyUnitTests
{
    private const string Hostile = "x]; DROP TABLE t; --";
    private static readonly SqlServerDialect Dialect = SqlServerDialect.Instance;

    /// <summary>dbo.[x]; DROP TABLE t; --]: identity, a composite key whose second column has a quote, a
    /// computed column, a rowversion, and a column named with brackets.</summary>
    private static DbTable HostileTable()
    {
        var t = new DbTable { Schema = "dbo", Name = Hostile, PrimaryKey = new DbKey("PK_x", ["id", "it's"]) };
        t.Columns.Add(new DbColumn { Name = "id", Type = "int", Identity = "1,1" });
        t.Columns.Add(new DbColumn { Name = "it's", Type = "nvarchar(20)" });
        t.Columns.Add(new DbColumn { Name = "[a]]b", Type = "varbinary(max)", Nullable = true });
        t.Columns.Add(new DbColumn { Name = "total", Type = "int", GeneratedExpression = "[id]*(2)" });
        t.Columns.Add(new DbColumn { Name = "versao", Type = "timestamp" });
        return t;
    }

    private static TableDataCopier Copier(DbTable t) => new(Dialect, t, 500, new RecordingObserver());

    private static readonly KeyRange Middle = new(1, [10, "a'b"], [20, "z"]);

    [Fact]
    public void Computed_and_rowversion_columns_are_not_copied()
    {
        Assert.Equal(["id", "it's", "[a]]b"], Copier(HostileTable()).Columns);
    }

    [Fact]
    public void Every_statement_of_a_page_parses_as_one_T_SQL_statement()
    {
        var copier = Copier(HostileTable());
        foreach (var range in new[] { KeyRange.Whole, new KeyRange(0, null, [5, "m"]), Middle, new KeyRange(2, [20, "z"], null) })
        {
            var (end, endArgs) = copier.PageEndSql(range);
            TSql.ParseOne(end);
            Assert.Contains("TOP (500)", end);
            Assert.Contains("TOP (1)", end);
            Assert.DoesNotContain("OFFSET", end, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("LIMIT", end);
            Assert.Equal(range.IsWhole ? 0 : (range.Lower is null || range.Upper is null ? 2 : 4), endArgs.Count);
            Assert.Equal(["k0", "k1", "n"], TSql.ResultColumns(end));

            var (clear, _) = copier.ClearSql(range);
            TSql.ParseOne(clear);
        }
        var (page, args) = copier.PageSql(Middle);
        TSql.ParseOne(page);
        Assert.Equal([10, "a'b", 20, "z"], args);
        Assert.Equal(["id", "it's", "[a]]b"], TSql.ResultColumns(page));
    }

    [Fact]
    public void The_checksum_casts_every_stored_value_to_varbinary_and_parses_per_key_range()
    {
        foreach (var range in new[] { KeyRange.Whole, Middle })
        {
            var (sql, args) = TableChecksum.Sql(Dialect, HostileTable(), range);
            TSql.ParseOne(sql);
            Assert.Equal(range.IsWhole ? 0 : 4, args.Count);
            // BINARY_CHECKSUM reads 255 characters of a string but a varbinary(max) whole; the rowversion differs by design.
            Assert.Contains("BINARY_CHECKSUM(CAST([id] AS varbinary(max)), CAST([it's] AS varbinary(max)), CAST([[a]]]]b] AS varbinary(max)), CAST([total] AS varbinary(max)))", sql);
            Assert.DoesNotContain("versao", sql);
            Assert.StartsWith("SELECT COUNT_BIG(*), CAST(COALESCE(SUM(", sql);
        }
    }

    [Fact]
    public void The_snapshot_begin_parses()
    {
        TSql.Parse(SnapshotReader.SqlServerBegin);
    }

    [Fact]
    public void The_bulk_copy_keeps_identities_and_nulls_locks_the_table_and_checks_after_the_load()
    {
        Assert.Equal(SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls | SqlBulkCopyOptions.TableLock, SqlServerPageLoader.Options(ownConnection: false));
        // A -Parallel worker: each page its own transaction, and no exclusive table lock to queue the other workers.
        Assert.Equal(SqlBulkCopyOptions.KeepIdentity | SqlBulkCopyOptions.KeepNulls | SqlBulkCopyOptions.UseInternalTransaction, SqlServerPageLoader.Options(ownConnection: true));

        var copier = Copier(HostileTable());
        using var connection = new SqlConnection("Server=127.0.0.1,1;Database=sandbox");
        var loader = SqlServerPageLoader.InTransaction(connection, copier.Table, copier.Columns);
        using var bulk = loader.CreateBulkCopy();

        Assert.Equal("[dbo].[x]]; DROP TABLE t; --]", bulk.DestinationTableName);
        Assert.Equal((0, 0, true), (bulk.BulkCopyTimeout, bulk.BatchSize, bulk.EnableStreaming));
        var mappings = bulk.ColumnMappings.Cast<SqlBulkCopyColumnMapping>().ToList();
        Assert.Equal([0, 1, 2], mappings.Select(m => m.SourceOrdinal));
        // SqlBulkCopy strips one pair of brackets and unescapes nothing: each name arrives as it is.
        Assert.Equal(["[id]", "[it's]", "[[a]]b]"], mappings.Select(m => m.DestinationColumn));
        Assert.False(loader.IsTooLarge(new InvalidOperationException()));
    }

    [Fact]
    public void The_statements_around_the_load_parse_and_name_what_they_touch()
    {
        var table = HostileTable();
        var child = new DbTable { Schema = "vendas", Name = "it's child" };
        var fk = new DbForeignKey { Name = "fk_x]y", Columns = ["id", "nome"], ReferencedTable = table.TableName, ReferencedColumns = ["id", "it's"], OnDelete = "CASCADE" };
        var systemNamed = new DbForeignKey { Name = "FK__t__c__1234", Columns = ["id", "nome"], ReferencedTable = table.TableName, ReferencedColumns = ["id", "it's"], SystemNamed = true };
        var plan = Plan(table);
        (DbTable, DbForeignKey)[] keys = [(child, fk), (child, systemNamed)];

        var before = SqlServerPageLoader.BeforeLoad(plan, new HashSet<TableName>(), keys);
        var after = SqlServerPageLoader.AfterLoad(plan, keys);
        var resumed = SqlServerPageLoader.BeforeLoad(plan, new HashSet<TableName> { table.TableName }, keys);

        Assert.Equal([
            "ALTER TABLE [vendas].[it's child] DROP CONSTRAINT [fk_x]]y]",
            "ALTER TABLE [vendas].[it's child] DROP CONSTRAINT [FK__t__c__1234]",
            "TRUNCATE TABLE [dbo].[x]]; DROP TABLE t; --]",
        ], before);
        Assert.DoesNotContain(resumed, s => s.StartsWith("TRUNCATE"));
        Assert.Equal([
            "ALTER TABLE [dbo].[x]]; DROP TABLE t; --] WITH CHECK CHECK CONSTRAINT ALL",
            "DBCC CHECKIDENT (N'[dbo].[x]]; DROP TABLE t; --]') WITH NO_INFOMSGS",
            "ALTER TABLE [vendas].[it's child] ADD CONSTRAINT [fk_x]]y] FOREIGN KEY ([id], [nome]) REFERENCES [dbo].[x]]; DROP TABLE t; --] ([id], [it's]) ON DELETE CASCADE ON UPDATE NO ACTION",
            // A key the server named is added back unnamed: it gets a new made-up name, which is not compared.
            "ALTER TABLE [vendas].[it's child] ADD FOREIGN KEY ([id], [nome]) REFERENCES [dbo].[x]]; DROP TABLE t; --] ([id], [it's]) ON DELETE NO ACTION ON UPDATE NO ACTION",
        ], after);
        foreach (var statement in before.Concat(after)) TSql.ParseOne(statement);
    }

    [Fact]
    public void A_sequence_behind_a_column_default_continues_after_the_copied_values()
    {
        var t = new DbTable { Schema = "dbo", Name = "pedidos", PrimaryKey = new DbKey("PK_p", ["numero"]) };
        t.Columns.Add(new DbColumn { Name = "numero", Type = "bigint", Default = "NEXT VALUE FOR [vendas].[seq it's]]x]" });
        t.Columns.Add(new DbColumn { Name = "codigo", Type = "nvarchar(20)", Default = "CONVERT([nvarchar](20),NEXT VALUE FOR [dbo].[seq_codigo])" });
        t.Columns.Add(new DbColumn { Name = "lote", Type = "int", Default = "(0)" });

        var after = SqlServerPageLoader.AfterLoad(Plan(t), []);

        // Only the integer column whose default is the sequence's next value: a text made from one is not a key to follow.
        var advance = Assert.Single(after, s => s.Contains("sp_executesql", StringComparison.Ordinal));
        TSql.ParseOne(advance);
        var inner = SqlServerPageLoader.SequenceAdvance(SqlServerDialect.Instance.QuoteTable(t.TableName), "numero", "[vendas].[seq it's]]x]");
        Assert.Contains(new SqlServerDdlScripter().Literal(inner), advance);
        TSql.Parse(inner);
        Assert.Contains("OBJECT_ID(N'[vendas].[seq it''s]]x]')", inner);
        Assert.Contains("increment > 0", inner);
        Assert.Contains("MAX([numero]) FROM [dbo].[pedidos]", inner);
        Assert.Contains("N'ALTER SEQUENCE [vendas].[seq it''s]]x] RESTART WITH '", inner);
    }

    [Fact]
    public async Task Copy_DbStructure_refuses_Parallel_for_SQL_Server_rows_without_NoBackup_before_connecting()
    {
        var (prod, sandbox) = (Source("prod"), Source("sandbox"));

        var e = await Assert.ThrowsAsync<SyncException>(() =>
            StructureCopier.PlanAsync(prod, sandbox, new StructureCopyOptions { IncludeData = ["*"], Parallel = 2 }, default));
        // With -NoBackup it goes on past the refusal, as far as connecting.
        var unreachable = await Assert.ThrowsAsync<SyncException>(() =>
            StructureCopier.PlanAsync(prod, sandbox, new StructureCopyOptions { IncludeData = ["*"], Parallel = 2, NoBackup = true }, default));

        Assert.Equal(SyncErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("-NoBackup", e.Message);
        Assert.Contains("without -Parallel", e.Message);
        // Nothing listens there: how the failed connect is classified is the connector's business, not this test's.
        Assert.NotEqual(SyncErrorKind.InvalidArgument, unreachable.Kind);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(4, 1000)]
    public void The_key_range_quantiles_parse(int workers, long rowsPerRange)
    {
        var key = new[] { "[id]", "[it's]" };
        var sql = KeyRangePlanner.QuantileSql(Dialect, key, "[dbo].[x]]; DROP TABLE t; --]", workers, rowsPerRange);

        TSql.ParseOne(sql);
        Assert.Equal(["k0", "k1"], TSql.ResultColumns(sql));
        Assert.DoesNotContain("OFFSET", sql, StringComparison.OrdinalIgnoreCase);
    }

    private static SyncSource Source(string database)
    {
        var cs = $"Server=127.0.0.1,1;Database={database};User ID=sa;Password=x;Connect Timeout=1";
        return new SyncSource(new ConnectionSpec { Provider = ProviderKind.SqlServer, ConnectionString = cs }, Dialect, cs);
    }

    private static StructureCopyPlan Plan(DbTable table)
    {
        var catalog = new DbCatalog { Provider = ProviderKind.SqlServer, Database = "prod" };
        catalog.Tables.Add(table);
        return new StructureCopyPlan
        {
            Source = Source("prod"), Target = Source("sandbox"), SourceCatalog = catalog, TargetCatalog = catalog,
            Applied = [], Skipped = [], DataTables = [table], Steps = [],
        };
    }
}
