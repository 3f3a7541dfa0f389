using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>
/// SQL Server's catalog reader and DDL scripter without a server (SQL Server cannot run here): the reader
/// is fed the rows its queries would return (<see cref="SqlServerCatalogRows"/>), and the SQL written from
/// the model is checked as text. The queries themselves run against a real server only in
/// SqlServer/SqlServerSchemaTests, when DATASYNC_TEST_SQLSERVER is set.
/// </summary>
public class SqlServerSchemaUnitTests
{
    private const string Hostile = "x]; DROP TABLE t; --";

    /// <summary>A production-like catalog: identity, computed and defaulted columns, a server-named key and
    /// check, a filtered index with INCLUDE, a cascading FK across schemas, comments, views (one reading the
    /// other), a trigger, routines, a sequence and a table with a hostile name.</summary>
    private static SqlServerCatalogRows Production(string pk = "PK__clientes__3213E83F", string ativoDefault = "DF__clientes__ativo__3B75D760",
        string zero = "((1))", string check = "CK__pedidos__qtd__4D94879B", string newline = "\n")
    {
        var rows = new SqlServerCatalogRows();
        rows.Table(1, "dbo", "clientes", "Clientes da loja")
            .Column(1, "id", "int", seed: "1", increment: "1")
            .Column(1, "nome", "nvarchar", maxLength: 200, collation: "Latin1_General_CI_AS")
            .Column(1, "email", "varchar", maxLength: -1, nullable: true, collation: "Latin1_General_BIN")
            .Column(1, "ativo", "bit", defaultName: ativoDefault, defaultDefinition: zero, defaultSystemNamed: true)
            .Column(1, "criado_em", "datetime2", scale: 7, defaultName: "DF_clientes_criado", defaultDefinition: "(getdate())")
            .Column(1, "saldo", "numeric", precision: 12, scale: 2, nullable: true)
            .Column(1, "obs", "nchar", maxLength: 20, nullable: true, collation: "Latin1_General_CI_AS", comment: "it's")
            .Index(1, 1, pk, "CLUSTERED", "id", 1, primaryKey: true, systemNamed: true)
            .Index(1, 2, "UQ_clientes_nome", "NONCLUSTERED", "nome", 1, uniqueConstraint: true)
            .Index(1, 3, "ix_clientes_ativos", "NONCLUSTERED", "nome", 0, included: true, filter: "([ativo]=(1))")
            .Index(1, 3, "ix_clientes_ativos", "NONCLUSTERED", "criado_em", 1, descending: true, filter: "([ativo]=(1))");
        rows.Table(2, "vendas", "pedidos")
            .Column(2, "id", "bigint", seed: "1000", increment: "1")
            .Column(2, "cliente_id", "int")
            .Column(2, "qtd", "int")
            .Column(2, "preco", "decimal", precision: 10, scale: 2)
            .Column(2, "total", "decimal", precision: 21, scale: 2, nullable: true, computed: "([qtd]*[preco])", persisted: true)
            .Index(2, 1, "PK_pedidos", "CLUSTERED", "id", 1, primaryKey: true)
            .ForeignKey(2, "fk_pedidos_cliente", "cliente_id", "dbo", "clientes", "id", onDelete: "CASCADE")
            .Check(2, check, "([qtd]>(0))", systemNamed: true);
        rows.Table(3, "dbo", Hostile)
            .Column(3, "a]b'c", "int", nullable: true);
        rows.Module(10, "dbo", "v_resumo", "V ", $"CREATE VIEW dbo.v_resumo AS{newline}SELECT count(*) AS n FROM dbo.v_base")
            .Module(11, "dbo", "v_base", "V ", "CREATE VIEW dbo.v_base AS SELECT id FROM dbo.clientes")
            .ViewReads(10, "dbo", "v_base")
            .Module(12, "dbo", "trg_clientes", "TR", "CREATE TRIGGER trg_clientes ON dbo.clientes AFTER UPDATE AS SET NOCOUNT ON", parent: "clientes")
            .Module(13, "dbo", "p_limpa", "P ", "CREATE PROCEDURE dbo.p_limpa AS DELETE FROM dbo.clientes WHERE ativo = 0")
            .Module(14, "dbo", "f_total", "FN", "CREATE FUNCTION dbo.f_total() RETURNS int AS BEGIN RETURN 1 END")
            .Sequence("dbo", "nota_seq", "bigint", "1000", "1", "1", "9223372036854775807");
        return rows;
    }

    [Fact]
    public async Task The_reader_maps_every_kind_of_object_from_the_sys_views()
    {
        var rows = Production();
        var c = await rows.ReadAsync();

        Assert.Equal(ProviderKind.SqlServer, c.Provider);
        Assert.Equal("prod", c.Database);
        Assert.Equal(["dbo.clientes", "vendas.pedidos", "dbo." + Hostile], c.Tables.Select(t => t.TableName.ToString()));
        var clientes = c.Tables[0];
        Assert.Equal("Clientes da loja", clientes.Comment);
        Assert.Equal(["int", "nvarchar(100)", "varchar(max)", "bit", "datetime2(7)", "decimal(12,2)", "nchar(10)"], clientes.Columns.Select(x => x.Type));
        Assert.Equal("1,1", clientes.Columns[0].Identity);
        // The database's collation is not restated; another one is.
        Assert.Null(clientes.Columns[1].Collation);
        Assert.Equal("Latin1_General_BIN", clientes.Columns[2].Collation);
        Assert.True(clientes.Columns[2].Nullable);
        Assert.Equal("1", clientes.Columns[3].Default);
        Assert.True(clientes.Columns[3].DefaultSystemNamed);
        Assert.Equal(("getdate()", "DF_clientes_criado", false), (clientes.Columns[4].Default, clientes.Columns[4].DefaultName, clientes.Columns[4].DefaultSystemNamed));
        Assert.Equal("it's", clientes.Columns[6].Comment);
        var pk = clientes.PrimaryKey!;
        Assert.Equal(("PK__clientes__3213E83F", true, (bool?)true, "id"), (pk.Name, pk.SystemNamed, pk.Clustered, pk.Columns.Single()));
        var unique = clientes.UniqueConstraints.Single();
        Assert.Equal(("UQ_clientes_nome", false, (bool?)false, "nome"), (unique.Name, unique.SystemNamed, unique.Clustered, unique.Columns.Single()));
        var index = clientes.Indexes.Single();
        Assert.Equal(("ix_clientes_ativos", "NONCLUSTERED", "([ativo]=(1))", false), (index.Name, index.Method, index.Filter, index.Unique));
        Assert.Equal([new DbIndexPart("criado_em", null, true, null)], index.Parts);
        Assert.Equal(["nome"], index.Included);

        var pedidos = c.Tables[1];
        Assert.Equal("1000,1", pedidos.Columns[0].Identity);
        var total = pedidos.Columns.Single(x => x.Name == "total");
        Assert.Equal(("[qtd]*[preco]", true), (total.GeneratedExpression, total.GeneratedStored));
        var fk = pedidos.ForeignKeys.Single();
        Assert.Equal((new TableName("dbo", "clientes"), "CASCADE", "NO ACTION"), (fk.ReferencedTable, fk.OnDelete, fk.OnUpdate));
        Assert.Equal(["cliente_id"], fk.Columns);
        Assert.Equal(new DbCheck("CK__pedidos__qtd__4D94879B", "[qtd]>(0)") { SystemNamed = true }, pedidos.Checks.Single());

        Assert.Equal(["a]b'c"], c.Tables[2].Columns.Select(x => x.Name));
        Assert.Equal(["v_resumo", "v_base"], c.Views.Select(v => v.Name));
        Assert.Equal([new TableName("dbo", "v_base")], c.Views[0].Reads!);
        Assert.Empty(c.Views[1].Reads!);
        Assert.Equal(("trg_clientes", "clientes", "AFTER"), (c.Triggers.Single().Name, c.Triggers.Single().Table, c.Triggers.Single().Timing));
        Assert.Equal(["PROCEDURE p_limpa", "FUNCTION f_total"], c.Routines.Select(r => r.Kind + " " + r.Name));
        Assert.Equal(new DbSequence("dbo", "nota_seq", "bigint", 1000, 1, 1, long.MaxValue, false), c.Sequences.Single());
        Assert.Equal(9, rows.Asked.Count);
    }

    [Fact]
    public async Task Schema_filters_keep_the_schemas_asked_for()
    {
        var c = await Production().ReadAsync(["VENDAS"]);
        Assert.Equal(["pedidos"], c.Tables.Select(t => t.Name));
        Assert.Empty(c.Views);
        Assert.Empty(c.Sequences);
    }

    [Theory]
    [InlineData("((0))", "0")]
    [InlineData("(0)", "0")]
    [InlineData("(getdate())", "getdate()")]
    [InlineData("((1)+(2))", "(1)+(2)")]
    [InlineData("([qtd]>(0))", "[qtd]>(0)")]
    [InlineData("('a)b')", "'a)b'")]
    [InlineData("(N'it''s (x')", "N'it''s (x'")]
    [InlineData("([a)]]]+(1))", "[a)]]]+(1)")]
    [InlineData("(1)+(2)", "(1)+(2)")]
    [InlineData("'x'", "'x'")]
    public void Parentheses_that_only_wrap_the_whole_expression_are_spelling(string catalog, string expression) =>
        Assert.Equal(expression, SqlServerCatalogReader.Unwrap(catalog));

    [Theory]
    [InlineData("nvarchar", -1, 0, 0, "nvarchar(max)")]
    [InlineData("nvarchar", 100, 0, 0, "nvarchar(50)")]
    [InlineData("nchar", 2, 0, 0, "nchar(1)")]
    [InlineData("varbinary", -1, 0, 0, "varbinary(max)")]
    [InlineData("char", 3, 0, 0, "char(3)")]
    [InlineData("numeric", 9, 18, 4, "decimal(18,4)")]
    [InlineData("datetime2", 8, 27, 7, "datetime2(7)")]
    [InlineData("time", 5, 16, 3, "time(3)")]
    [InlineData("int", 4, 10, 0, "int")]
    [InlineData("float", 8, 53, 0, "float")]
    [InlineData("xml", -1, 0, 0, "xml")]
    public void Types_are_spelled_from_their_sizes(string name, int maxLength, int precision, int scale, string type) =>
        Assert.Equal(type, SqlServerCatalogReader.TypeName(name, "sys", false, maxLength, precision, scale));

    [Fact]
    public void An_alias_type_keeps_its_schema_in_brackets() =>
        Assert.Equal("[app].[cpf]]x]", SqlServerCatalogReader.TypeName("cpf]x", "app", true, 11, 0, 0));

    [Fact]
    public async Task The_same_schema_with_other_server_made_names_and_spellings_is_no_difference()
    {
        var prod = await Production().ReadAsync();
        var sandbox = await Production(pk: "PK__clientes__AB12CD34EF56", ativoDefault: "DF__clientes__ativo__0519C6AF", zero: "(1)",
            check: "CK__pedidos__qtd__0AD2A005", newline: "\r\n").ReadAsync();

        Assert.Empty(SchemaComparer.Compare(prod, sandbox, new SchemaFilter()));
    }

    [Fact]
    public async Task A_new_table_is_created_whole_with_named_defaults_and_its_indexes_and_comments()
    {
        var prod = await Production().ReadAsync();
        var sandbox = await new SqlServerCatalogRows("sandbox").ReadAsync();

        var clientes = SchemaComparer.Compare(prod, sandbox, new SchemaFilter(["clientes"])).Single(d => d.ObjectKind == SchemaObjectKind.Table);

        Assert.Equal(SchemaChange.Added, clientes.Change);
        Assert.Equal(
        [
            """
            CREATE TABLE [dbo].[clientes] (
              [id] int IDENTITY(1,1) NOT NULL,
              [nome] nvarchar(100) NOT NULL,
              [email] varchar(max) COLLATE Latin1_General_BIN NULL,
              [ativo] bit NOT NULL DEFAULT (1),
              [criado_em] datetime2(7) NOT NULL CONSTRAINT [DF_clientes_criado] DEFAULT (getdate()),
              [saldo] decimal(12,2) NULL,
              [obs] nchar(10) NULL,
              PRIMARY KEY CLUSTERED ([id]),
              CONSTRAINT [UQ_clientes_nome] UNIQUE NONCLUSTERED ([nome])
            )
            """.ReplaceLineEndings("\n"),
            "CREATE NONCLUSTERED INDEX [ix_clientes_ativos] ON [dbo].[clientes] ([criado_em] DESC) INCLUDE ([nome]) WHERE ([ativo]=(1))",
            "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'Clientes da loja', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'clientes'",
            "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'it''s', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'clientes', @level2type = N'COLUMN', @level2name = N'obs'",
        ], clientes.Statements.Select(s => s.Sql));
    }

    [Fact]
    public async Task Computed_columns_foreign_keys_checks_and_sequences_are_scripted()
    {
        var prod = await Production().ReadAsync();
        var differences = SchemaComparer.Compare(prod, await new SqlServerCatalogRows("sandbox").ReadAsync(), new SchemaFilter());
        string Ddl(SchemaObjectKind kind) => differences.Single(d => d.ObjectKind == kind).Statements.Single().Sql;

        var table = differences.Single(d => d.Name == "vendas.pedidos").Statements;
        // Its schema is made first where it is missing.
        Assert.Equal("IF SCHEMA_ID(N'vendas') IS NULL EXEC(N'CREATE SCHEMA [vendas]')", table[0].Sql);
        var pedidos = table[1].Sql;
        Assert.Contains("[id] bigint IDENTITY(1000,1) NOT NULL,", pedidos);
        Assert.Contains("[total] AS ([qtd]*[preco]) PERSISTED,", pedidos);
        Assert.Contains("CONSTRAINT [PK_pedidos] PRIMARY KEY CLUSTERED ([id]),", pedidos);
        Assert.Contains("  CHECK ([qtd]>(0))\n)", pedidos);
        Assert.Equal("ALTER TABLE [vendas].[pedidos] ADD CONSTRAINT [fk_pedidos_cliente] FOREIGN KEY ([cliente_id]) REFERENCES [dbo].[clientes] ([id]) ON DELETE CASCADE ON UPDATE NO ACTION",
            Ddl(SchemaObjectKind.ForeignKey));
        Assert.Equal("CREATE SEQUENCE [dbo].[nota_seq] AS bigint START WITH 1000 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 NO CYCLE",
            Ddl(SchemaObjectKind.Sequence));
        Assert.Equal("CREATE TRIGGER trg_clientes ON dbo.clientes AFTER UPDATE AS SET NOCOUNT ON", Ddl(SchemaObjectKind.Trigger));
    }

    [Fact]
    public async Task A_changed_column_keeps_its_data_and_its_default_goes_and_comes_back_around_ALTER_COLUMN()
    {
        var prod = await Production().ReadAsync();
        var sandboxRows = new SqlServerCatalogRows("sandbox")
            .Table(1, "dbo", "clientes", "Clientes da loja")
            .Column(1, "criado_em", "datetime", defaultName: "DF__clientes__criad__1A2B3C4D", defaultDefinition: "(getdate())", defaultSystemNamed: true, nullable: true)
            .Column(1, "obs", "nchar", maxLength: 20, nullable: true, comment: "old")
            .Column(1, "ativo", "bit", defaultName: "DF_ativo", defaultDefinition: "((0))");
        var differences = SchemaComparer.Compare(prod, await sandboxRows.ReadAsync(), new SchemaFilter(["clientes"]));
        IEnumerable<string> Sql(string column) => differences.Single(d => d.Name == "dbo.clientes." + column).Statements.Select(s => s.Sql);

        Assert.Equal(
        [
            "ALTER TABLE [dbo].[clientes] DROP CONSTRAINT [DF__clientes__criad__1A2B3C4D]",
            "ALTER TABLE [dbo].[clientes] ALTER COLUMN [criado_em] datetime2(7) NOT NULL",
            "ALTER TABLE [dbo].[clientes] ADD CONSTRAINT [DF_clientes_criado] DEFAULT (getdate()) FOR [criado_em]",
        ], Sql("criado_em"));
        // A default the server named in prod is left to the sandbox's server to name.
        Assert.Equal(["ALTER TABLE [dbo].[clientes] DROP CONSTRAINT [DF_ativo]", "ALTER TABLE [dbo].[clientes] ADD DEFAULT (1) FOR [ativo]"], Sql("ativo"));
        Assert.Equal(["EXEC sys.sp_updateextendedproperty @name = N'MS_Description', @value = N'it''s', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'clientes', @level2type = N'COLUMN', @level2name = N'obs'"],
            Sql("obs"));
        Assert.Equal(["ALTER TABLE [dbo].[clientes] ADD [id] int IDENTITY(1,1) NOT NULL"], Sql("id"));
        Assert.All(differences, d => Assert.False(d.LosesData));
    }

    [Fact]
    public async Task Identity_cannot_change_in_place_so_the_column_is_rebuilt_and_says_it_loses_data()
    {
        var prod = await Production().ReadAsync();
        var sandbox = await new SqlServerCatalogRows("sandbox").Table(2, "vendas", "pedidos").Column(2, "id", "bigint").ReadAsync();

        var id = SchemaComparer.Compare(prod, sandbox, new SchemaFilter(["pedidos"])).Single(d => d.Name == "vendas.pedidos.id");

        Assert.True(id.LosesData);
        Assert.Equal(["ALTER TABLE [vendas].[pedidos] DROP COLUMN [id]", "ALTER TABLE [vendas].[pedidos] ADD [id] bigint IDENTITY(1000,1) NOT NULL"],
            id.Statements.Select(s => s.Sql));
    }

    [Fact]
    public async Task Extra_objects_are_dropped_by_their_real_names()
    {
        var prod = await new SqlServerCatalogRows().Table(1, "dbo", "clientes").Column(1, "id", "int").ReadAsync();
        var sandbox = await Production(pk: "PK_sandbox").ReadAsync();

        var differences = SchemaComparer.Compare(prod, sandbox, new SchemaFilter());
        string[] Sql(string name) => differences.Single(d => d.Name == name).Statements.Select(s => s.Sql).ToArray();

        Assert.Equal(["ALTER TABLE [dbo].[clientes] DROP CONSTRAINT [DF__clientes__ativo__3B75D760]", "ALTER TABLE [dbo].[clientes] DROP COLUMN [ativo]"], Sql("dbo.clientes.ativo"));
        Assert.Equal(["ALTER TABLE [dbo].[clientes] DROP CONSTRAINT [PK_sandbox]"], Sql("dbo.clientes.PK_sandbox"));
        Assert.Equal(["DROP INDEX [ix_clientes_ativos] ON [dbo].[clientes]"], Sql("dbo.clientes.ix_clientes_ativos"));
        Assert.Equal(["DROP TRIGGER IF EXISTS [dbo].[trg_clientes]"], Sql("dbo.clientes.trg_clientes"));
        Assert.Equal(["DROP VIEW IF EXISTS [dbo].[v_base]"], Sql("dbo.v_base"));
    }

    [Fact]
    public void Hostile_names_stay_inside_their_brackets_and_literals()
    {
        var table = new DbTable { Schema = "s]s", Name = Hostile, Comment = "'; DROP TABLE t; --" };
        table.Columns.Add(new DbColumn { Name = "a]b'c", Type = "int", DefaultName = "df]x", Default = "0", Comment = "o'k" });
        table.Indexes.Add(new DbIndex { Name = "ix]", Method = "NONCLUSTERED", Parts = { new DbIndexPart("a]b'c", null, false, null) } });
        var scripter = DdlScripter.For(ProviderKind.SqlServer);
        var catalog = new DbCatalog { Provider = ProviderKind.SqlServer, Database = "d", Tables = { table } };

        var sql = scripter.Create(scripter.Items(catalog).First(), catalog).Select(s => s.Sql).ToList();

        Assert.Equal("IF SCHEMA_ID(N's]s') IS NULL EXEC(N'CREATE SCHEMA [s]]s]')", sql[0]);
        Assert.Equal("CREATE TABLE [s]]s].[x]]; DROP TABLE t; --] (\n  [a]]b'c] int NOT NULL CONSTRAINT [df]]x] DEFAULT (0)\n)", sql[1]);
        Assert.Equal("CREATE NONCLUSTERED INDEX [ix]]] ON [s]]s].[x]]; DROP TABLE t; --] ([a]]b'c])", sql[2]);
        Assert.Equal("EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'''; DROP TABLE t; --', @level0type = N'SCHEMA', @level0name = N's]s', @level1type = N'TABLE', @level1name = N'x]; DROP TABLE t; --'", sql[3]);
        Assert.EndsWith("@level2type = N'COLUMN', @level2name = N'a]b''c'", sql[4]);
        Assert.All(sql, TSql.ParseOne);
    }

    [Fact]
    public void A_collation_that_is_not_a_name_is_refused()
    {
        var table = new DbTable { Schema = "dbo", Name = "t" };
        var ex = Assert.Throws<SyncException>(() => DdlScripter.For(ProviderKind.SqlServer)
            .ColumnDefinition(table, new DbColumn { Name = "c", Type = "varchar(5)", Collation = "Latin1 --" }));
        Assert.Equal(SyncErrorKind.IdentifierInvalid, ex.Kind);
    }

    [Fact]
    public async Task The_script_is_in_batches_and_a_view_comes_after_the_view_it_reads()
    {
        var prod = await Production().ReadAsync();
        var sandbox = await new SqlServerCatalogRows("sandbox").ReadAsync();
        var differences = SchemaComparer.Compare(prod, sandbox, new SchemaFilter());

        var script = SchemaComparer.Script(differences, prod, sandbox);

        Assert.True(script.IndexOf("CREATE VIEW dbo.v_base", StringComparison.Ordinal) < script.IndexOf("CREATE VIEW dbo.v_resumo", StringComparison.Ordinal));
        Assert.True(script.IndexOf("CREATE TABLE [dbo].[clientes]", StringComparison.Ordinal) < script.IndexOf("FOREIGN KEY", StringComparison.Ordinal));
        Assert.Contains("\nGO\nCREATE VIEW dbo.v_base AS SELECT id FROM dbo.clientes\nGO\n", script);
        Assert.EndsWith("\nGO\n", script);
    }

    public static TheoryData<string> CatalogQueries()
    {
        var reader = CatalogReader.For(SqlServerDialect.Instance);
        string Narrow(string name) => (string)typeof(SqlServerCatalogReader)
            .GetProperty(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(reader)!;
        return
        [
            Narrow("CurrentSchemaSql"), Narrow("TablesSql"), Narrow("ColumnsSql"),
            SqlServerCatalogReader.DatabaseSql, SqlServerCatalogReader.TablesCatalogSql, SqlServerCatalogReader.ColumnsCatalogSql,
            SqlServerCatalogReader.IndexesCatalogSql, SqlServerCatalogReader.ForeignKeysCatalogSql, SqlServerCatalogReader.ChecksCatalogSql,
            SqlServerCatalogReader.ModulesCatalogSql, SqlServerCatalogReader.ViewReadsCatalogSql, SqlServerCatalogReader.SequencesCatalogSql,
        ];
    }

    [Theory, MemberData(nameof(CatalogQueries))]
    public void Every_catalog_query_is_T_SQL(string sql) => TSql.ParseOne(sql);

    [Fact]
    public async Task Every_statement_of_a_migration_is_T_SQL()
    {
        var prod = await Production().ReadAsync();
        var drifted = await new SqlServerCatalogRows("sandbox")
            .Table(1, "dbo", "clientes").Column(1, "criado_em", "datetime", defaultName: "DF_x", defaultDefinition: "(sysdatetime())")
            .Column(1, "obs", "nchar", maxLength: 20, comment: "old").Column(1, "sobra", "int", defaultName: "DF_sobra", defaultDefinition: "((0))")
            .Index(1, 9, "ix_sobra", "NONCLUSTERED", "sobra", 1, unique: true)
            .Table(2, "vendas", "pedidos").Column(2, "id", "bigint").Column(2, "total", "int", computed: "([qtd]+(1))")
            .Check(2, "ck_velho", "([id]>(0))")
            .Sequence("dbo", "nota_seq", "int", "1", "1", "1", "100", precision: 10)
            .Module(11, "dbo", "v_base", "V ", "CREATE VIEW dbo.v_base AS SELECT 1 AS id")
            .ReadAsync();
        var statements = new[] { await new SqlServerCatalogRows("empty").ReadAsync(), drifted }
            .SelectMany(sandbox => SchemaComparer.Compare(prod, sandbox, new SchemaFilter()).Concat(SchemaComparer.Compare(sandbox, prod, new SchemaFilter())))
            .SelectMany(d => d.Statements).Select(s => s.Sql).Distinct().ToList();

        Assert.True(statements.Count > 40, $"{statements.Count} statements");
        Assert.All(statements, TSql.ParseOne);
    }

    [Fact]
    public void Each_engine_has_its_catalog_reader_and_SQL_Server_its_scripter()
    {
        Assert.IsType<SqlServerCatalogReader>(CatalogReader.For(SqlServerDialect.Instance));
        Assert.IsType<MySqlCatalogReader>(CatalogReader.For(MySqlDialect.MariaDb));
        Assert.IsType<PostgreSqlCatalogReader>(CatalogReader.For(PostgreSqlDialect.Instance));
        Assert.IsType<SqliteCatalogReader>(CatalogReader.For(SqliteDialect.Instance));
        Assert.IsType<OracleCatalogReader>(CatalogReader.For(new OracleDialect()));
        Assert.IsType<SqlServerDdlScripter>(DdlScripter.For(ProviderKind.SqlServer));
    }

    [Fact]
    public async Task Engines_without_a_scripter_say_so_when_asked_for_their_whole_catalog()
    {
        var ex = await Assert.ThrowsAsync<SyncException>(() => CatalogReading.ReadAsync(ProviderKind.Sqlite, null!, null, default));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("SQL Server", ex.Message);
    }
}
