using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;
using DataSyncPS.Engine.Tests.Schema;

namespace DataSyncPS.Engine.Tests.SqlServer;

/// <summary>
/// Compare-DbSchema's and Copy-DbStructure's engine on a real SQL Server: the catalog queries run, the
/// DDL written from them runs, and a copied or migrated sandbox compares equal. SQL Server cannot run
/// here: these run only when DATASYNC_TEST_SQLSERVER holds a connection string whose login may create
/// databases (they make &lt;database&gt;_ss_*), and skip otherwise, under CI too. Everything short of the
/// server is unit-tested in Schema/SqlServerSchemaUnitTests.
/// </summary>
public sealed class SqlServerSchemaTests
{
    private static readonly string[] Production =
    [
        "CREATE SCHEMA vendas",
        """
        CREATE TABLE dbo.clientes (id int IDENTITY(1,1) PRIMARY KEY, nome nvarchar(100) NOT NULL CONSTRAINT UQ_clientes_nome UNIQUE,
            email varchar(max) COLLATE Latin1_General_BIN NULL, ativo bit NOT NULL DEFAULT 1,
            criado_em datetime2 NOT NULL CONSTRAINT DF_clientes_criado DEFAULT GETDATE(), saldo numeric(12,2) NULL, [it's] nchar(10) NULL,
            indicado_por int NULL REFERENCES dbo.clientes (id))
        """,
        "CREATE INDEX ix_clientes_ativos ON dbo.clientes (criado_em DESC) INCLUDE (nome) WHERE ativo = 1",
        """
        CREATE TABLE vendas.pedidos (id bigint IDENTITY(1000,1) CONSTRAINT PK_pedidos PRIMARY KEY,
            cliente_id int NOT NULL CONSTRAINT fk_pedidos_cliente REFERENCES dbo.clientes (id) ON DELETE CASCADE,
            qtd int NOT NULL CHECK (qtd > 0), preco decimal(10,2) NOT NULL, total AS (qtd * preco) PERSISTED)
        """,
        "CREATE TABLE dbo.[order] ([select] int NOT NULL PRIMARY KEY, [a]]b'c] nvarchar(max) NULL)",
        "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'Clientes da loja', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'clientes'",
        "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'quote''s', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'clientes', @level2type = N'COLUMN', @level2name = N'it''s'",
        "CREATE VIEW dbo.v_base AS SELECT id, nome FROM dbo.clientes",
        "CREATE VIEW dbo.v_resumo AS SELECT count(*) AS n FROM dbo.v_base",
        "CREATE TRIGGER dbo.trg_clientes ON dbo.clientes AFTER UPDATE AS SET NOCOUNT ON",
        "CREATE PROCEDURE dbo.p_limpa AS DELETE FROM dbo.clientes WHERE ativo = 0",
        "CREATE FUNCTION dbo.f_total() RETURNS int AS BEGIN RETURN 1 END",
        "CREATE SEQUENCE dbo.nota_seq AS bigint START WITH 1000",
    ];

    private static async Task<SyncSource> Fresh(string suffix, params string[] schema)
    {
        if (TestServers.SqlServer is null) Assert.Skip("DATASYNC_TEST_SQLSERVER is not set (SQL Server is opt-in).");
        var db = await SchemaDatabases.FreshAsync(ProviderKind.SqlServer, "ss_" + suffix);
        await SchemaDatabases.ExecAsync(db, schema);
        return db;
    }

    private static Task<DbCatalog> Read(SyncSource s) => CatalogReading.ReadAsync(s, null, default);

    [Fact]
    public async Task The_catalog_queries_see_every_kind_of_object()
    {
        var c = await Read(await Fresh("read", Production));

        Assert.Equal(["dbo.clientes", "dbo.order", "vendas.pedidos"], c.Tables.Select(t => t.TableName.ToString()).Order(StringComparer.Ordinal));
        var clientes = c.Tables.Single(t => t.Name == "clientes");
        Assert.Equal("Clientes da loja", clientes.Comment);
        Assert.Equal(["int", "nvarchar(100)", "varchar(max)", "bit", "datetime2(7)", "decimal(12,2)", "nchar(10)", "int"], clientes.Columns.Select(x => x.Type));
        Assert.Equal("1,1", clientes.Columns[0].Identity);
        Assert.Equal("Latin1_General_BIN", clientes.Columns[2].Collation);
        Assert.Equal(("1", true), (clientes.Columns[3].Default, clientes.Columns[3].DefaultSystemNamed));
        Assert.Equal(("getdate()", "DF_clientes_criado"), (clientes.Columns[4].Default, clientes.Columns[4].DefaultName));
        Assert.Equal("quote's", clientes.Columns.Single(x => x.Name == "it's").Comment);
        Assert.True(clientes.PrimaryKey!.SystemNamed);
        Assert.Equal(["nome"], clientes.UniqueConstraints.Single().Columns);
        var index = clientes.Indexes.Single();
        Assert.Equal(("criado_em", true, "nome", "([ativo]=(1))"), (index.Parts.Single().Column, index.Parts.Single().Descending, index.Included.Single(), index.Filter));
        Assert.Single(clientes.ForeignKeys, f => f.ReferencedTable.Name == "clientes" && f.SystemNamed);
        var pedidos = c.Tables.Single(t => t.Name == "pedidos");
        Assert.Equal("1000,1", pedidos.Columns[0].Identity);
        Assert.Equal("[qtd]*[preco]", pedidos.Columns.Single(x => x.Name == "total").GeneratedExpression);
        Assert.Equal("CASCADE", pedidos.ForeignKeys.Single().OnDelete);
        Assert.Equal("[qtd]>(0)", pedidos.Checks.Single().Expression);
        Assert.Equal([new TableName("dbo", "v_base")], c.Views.Single(v => v.Name == "v_resumo").Reads!);
        Assert.Equal("clientes", c.Triggers.Single().Table);
        Assert.Equal(["FUNCTION", "PROCEDURE"], c.Routines.Select(r => r.Kind).Order());
        Assert.Equal(1000, c.Sequences.Single().Start);
    }

    [Fact]
    public async Task The_same_schema_typed_another_way_is_no_difference()
    {
        var prod = await Fresh("same_prod", Production);
        var respelled = Production.Select(s => s.Replace("DEFAULT 1", "DEFAULT (1)").Replace("DEFAULT GETDATE()", "DEFAULT (getdate())")
            .Replace("numeric(12,2)", "NUMERIC(12, 2)").Replace("nvarchar(100)", "NVARCHAR(100)").Replace("CHECK (qtd > 0)", "CHECK ((qtd)>0)")).ToArray();
        var sandbox = await Fresh("same_sandbox", respelled);

        Assert.Empty(SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter()));
    }

    [Fact]
    public async Task The_migration_of_a_drifted_sandbox_runs_and_leaves_nothing_to_compare()
    {
        var prod = await Fresh("drift_prod", Production);
        var sandbox = await Fresh("drift_sandbox", [.. Production.Where(s => !s.Contains("v_resumo"))]);
        await SchemaDatabases.ExecAsync(sandbox,
            "ALTER TABLE dbo.clientes ALTER COLUMN saldo decimal(10,2) NOT NULL",
            "ALTER TABLE dbo.clientes DROP CONSTRAINT DF_clientes_criado",
            "ALTER TABLE dbo.clientes ADD CONSTRAINT DF_outro DEFAULT SYSDATETIME() FOR criado_em",
            "DROP INDEX ix_clientes_ativos ON dbo.clientes",
            "CREATE TABLE dbo.sobra (id int PRIMARY KEY)");
        var reference = await Read(prod);
        var differences = SchemaComparer.Compare(reference, await Read(sandbox), new SchemaFilter());
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.Column, Change: SchemaChange.Changed } && d.Name == "dbo.clientes.saldo");
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.View, Change: SchemaChange.Added });

        await SchemaDatabases.ExecAsync(sandbox, [.. SchemaComparer.Order(differences, reference, await Read(sandbox)).Select(s => s.Sql)]);

        Assert.Empty(SchemaComparer.Compare(reference, await Read(sandbox), new SchemaFilter()));
    }

    [Fact]
    public async Task Copy_DbStructure_builds_an_empty_sandbox_in_one_transaction()
    {
        var prod = await Fresh("copy_prod", Production);
        var sandbox = await Fresh("copy_sandbox");

        var options = new StructureCopyOptions();
        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        var result = await StructureCopier.ExecuteAsync(plan, options, new RecordingObserver(), new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.Equal(3, result.TablesCreated);
        Assert.Null(result.BackupUsed);
        Assert.Empty(SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter()));
    }

    [Fact]
    public async Task Copy_DbStructure_copies_rows_with_their_identities_in_pages_and_validates_them()
    {
        var prod = await Fresh("rows_prod", Production);
        await SchemaDatabases.ExecAsync(prod,
            // 1,000 clients (ids with gaps: identity values are kept, not renumbered), some referring to another,
            // long strings (beyond BINARY_CHECKSUM's 255 characters) and NULLs.
            """
            INSERT INTO dbo.clientes (nome, email, ativo, saldo, [it's], indicado_por)
            SELECT TOP (1000) CONCAT(N'cliente ', ROW_NUMBER() OVER (ORDER BY (SELECT NULL))), REPLICATE(CAST('x' AS varchar(max)), 300), 1, NULL, N'q''s', NULL
            FROM sys.all_objects a CROSS JOIN sys.all_objects b
            """,
            "DELETE FROM dbo.clientes WHERE id % 7 = 0",
            "UPDATE dbo.clientes SET indicado_por = (SELECT MIN(id) FROM dbo.clientes) WHERE id % 5 = 0",
            "INSERT INTO vendas.pedidos (cliente_id, qtd, preco) SELECT id, id % 9 + 1, 10.5 FROM dbo.clientes",
            "INSERT INTO dbo.[order] ([select], [a]]b'c]) VALUES (1, NULL), (2, N'é')",
            Notas,
            "INSERT INTO dbo.notas (texto) SELECT TOP (50) N'nota' FROM sys.all_objects");
        // The sandbox's [order] has its columns the other way round: SqlBulkCopy reads each row in the target's order.
        var sandbox = await Fresh("rows_sandbox", [.. Production.Select(x => x.StartsWith("CREATE TABLE dbo.[order]")
            ? "CREATE TABLE dbo.[order] ([a]]b'c] nvarchar(max) NULL, [select] int NOT NULL PRIMARY KEY)" : x), Notas]);
        // Rows the copy replaces.
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO dbo.clientes (nome) VALUES (N'velho')");

        var options = new StructureCopyOptions { IncludeData = ["clientes", "pedidos", "order", "notas"], PageSize = 97 };
        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        var observer = new RecordingObserver();
        var result = await StructureCopier.ExecuteAsync(plan, options, observer, new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.Equal(4, result.Tables.Count);
        Assert.All(result.Tables, t => Assert.Equal((t.SourceRows, t.SourceChecksum), (t.TargetRows, t.TargetChecksum)));
        const string ids = "SELECT CHECKSUM_AGG(CHECKSUM(id)) FROM dbo.clientes";
        Assert.Equal(await SchemaDatabases.ScalarAsync(prod, ids), await SchemaDatabases.ScalarAsync(sandbox, ids));
        Assert.Equal(await SchemaDatabases.ScalarAsync(prod, "SELECT COUNT_BIG(*) FROM vendas.pedidos"), result.Tables.Single(t => t.Table == "vendas.pedidos").RowsCopied);
        // NULLs stayed NULL; the constraints are trusted again; the identity continues after the copied keys.
        Assert.Equal(0, await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM dbo.clientes WHERE saldo IS NOT NULL"));
        Assert.Equal(0, await SchemaDatabases.ScalarAsync(sandbox,
            "SELECT (SELECT COUNT(*) FROM sys.foreign_keys WHERE is_not_trusted = 1) + (SELECT COUNT(*) FROM sys.check_constraints WHERE is_not_trusted = 1)"));
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO dbo.clientes (nome) VALUES (N'novo')");
        Assert.Equal(true, await SchemaDatabases.ScalarAsync(sandbox,
            "SELECT CAST(CASE WHEN (SELECT id FROM dbo.clientes WHERE nome = N'novo') > (SELECT MAX(id) FROM dbo.clientes WHERE nome <> N'novo') THEN 1 ELSE 0 END AS bit)"));
        // And so does the sequence behind a default: the sandbox's started at 1000, the copied notes go to 1049.
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO dbo.notas (texto) VALUES (N'nova')");
        Assert.Equal(1050L, await SchemaDatabases.ScalarAsync(sandbox, "SELECT numero FROM dbo.notas WHERE texto = N'nova'"));
        Assert.Empty(SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter()));
    }

    /// <summary>A table numbered by a sequence (Production's nota_seq, from 1000) rather than an identity.</summary>
    private const string Notas = "CREATE TABLE dbo.notas (numero bigint NOT NULL CONSTRAINT DF_notas_numero DEFAULT (NEXT VALUE FOR dbo.nota_seq) PRIMARY KEY, texto nvarchar(20) NOT NULL)";

    [Fact]
    public async Task Parallel_key_ranges_stopped_mid_table_resume_and_copy_every_row_once()
    {
        var prod = await Fresh("rng_prod",
            "CREATE TABLE dbo.vendas (id bigint NOT NULL PRIMARY KEY, filial int NOT NULL, nota nvarchar(40) NULL)",
            "CREATE TABLE dbo.lotes (codigo varchar(20) NOT NULL, dia date NOT NULL, qtd int NULL, PRIMARY KEY (codigo, dia))",
            "INSERT INTO dbo.vendas SELECT TOP (12000) 3 * ROW_NUMBER() OVER (ORDER BY (SELECT NULL)), 1, N'nota' FROM sys.all_objects a CROSS JOIN sys.all_objects b",
            "INSERT INTO dbo.lotes SELECT CONCAT('L', id % 37), DATEADD(day, id / 37, '2024-01-01'), id FROM dbo.vendas WHERE id <= 9000");
        var sandbox = await Fresh("rng_sandbox");
        var state = Path.Combine(Path.GetTempPath(), $"datasync-ss-{Guid.NewGuid():N}.db");
        var done = 0;
        var options = new StructureCopyOptions
        {
            IncludeData = ["*"], Parallel = 3, PageSize = 500, RowsPerRange = 1_500, StatePath = state, NoBackup = true,
            AfterRange = (_, _) => { if (Interlocked.Increment(ref done) == 3) throw new InvalidOperationException("killed"); },
        };
        try
        {
            await Assert.ThrowsAsync<SyncException>(async () =>
                await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, options, default), options, new RecordingObserver(), new CopyProgress(), default));
            var rerun = options with { AfterRange = null };
            var result = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, rerun, default), rerun, new RecordingObserver(), new CopyProgress(), default);

            Assert.True(result.Validated);
            Assert.All(result.Tables, t => Assert.True(t.Matches, $"{t.Table}: {t.SourceRows}/{t.TargetRows}"));
            Assert.Contains(result.Tables, t => t.RangesResumed > 0);
            Assert.Equal(12000L, await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT_BIG(DISTINCT id) FROM dbo.vendas"));
            Assert.Equal(3000L, await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT_BIG(*) FROM dbo.lotes"));
        }
        finally { File.Delete(state); }
    }

    [Fact]
    public async Task Copy_DbStructure_refuses_Parallel_for_rows_and_a_failed_load_leaves_the_sandbox_as_it_was()
    {
        var prod = await Fresh("fail_prod", Production);
        await SchemaDatabases.ExecAsync(prod, "INSERT INTO dbo.clientes (nome) VALUES (N'a'), (N'b')");
        var sandbox = await Fresh("fail_sandbox", Production);
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO dbo.clientes (nome) VALUES (N'velho')");

        await Assert.ThrowsAsync<SyncException>(() => StructureCopier.PlanAsync(prod, sandbox, new StructureCopyOptions { IncludeData = ["*"], Parallel = 2 }, default));
        var options = new StructureCopyOptions { IncludeData = ["clientes"], AfterStep = s => { if (s.Action == CopyAction.LoadData) throw new InvalidOperationException("injected"); } };
        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        var e = await Assert.ThrowsAsync<SyncException>(() => StructureCopier.ExecuteAsync(plan, options, new RecordingObserver(), new CopyProgress(), default));

        Assert.Contains("rolled back", e.Message);
        Assert.Equal("velho", await SchemaDatabases.ScalarAsync(sandbox, "SELECT nome FROM dbo.clientes"));
    }
}
