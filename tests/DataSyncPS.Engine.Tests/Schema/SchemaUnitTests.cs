using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>The parts of the schema engine that need no server: foreign-key order, spelling
/// normalisation, quoting in DDL, wildcards and the binary COPY tuple counter.</summary>
public class SchemaUnitTests
{
    private static DbTable Table(string name, params (string Fk, string To)[] keys)
    {
        var t = new DbTable { Name = name };
        foreach (var (fk, to) in keys)
            t.ForeignKeys.Add(new DbForeignKey { Name = fk, Columns = ["c"], ReferencedTable = new TableName(null, to), ReferencedColumns = ["id"] });
        return t;
    }

    [Fact]
    public void Tables_come_after_the_tables_they_reference_and_cycle_keys_are_named()
    {
        var (order, cycle) = ForeignKeyOrder.Sort(
        [
            Table("itens", ("fk_pedido", "pedidos")),
            Table("pedidos", ("fk_cliente", "clientes"), ("fk_ultimo", "itens")),
            Table("clientes", ("fk_indicado", "clientes")),
            Table("avulsa"),
        ]);

        var names = order.Select(t => t.Name).ToList();
        Assert.Equal(4, names.Count);
        Assert.True(names.IndexOf("clientes") < names.IndexOf("pedidos"));
        Assert.Contains(cycle, c => c.Key.Name == "fk_indicado");
        // One key of the pedidos/itens cycle is left for after both exist.
        Assert.Single(cycle, c => c.Key.Name is "fk_ultimo" or "fk_pedido");
    }

    [Theory]
    [InlineData("int(11)", "int")]
    [InlineData("int(10) unsigned", "int unsigned")]
    [InlineData("bigint(20) unsigned zerofill", "bigint unsigned zerofill")]
    [InlineData("tinyint(1)", "tinyint(1)")]
    [InlineData("tinyint(4)", "tinyint")]
    [InlineData("varchar(50)", "varchar(50)")]
    [InlineData("decimal(10,2)", "decimal(10,2)")]
    [InlineData("enum('a','B')", "enum('a','B')")]
    public void MySQL_integer_display_widths_are_spelling(string columnType, string normalised) =>
        Assert.Equal(normalised, MySqlCatalogReader.NormaliseType(columnType));

    [Theory]
    [InlineData("NULL", true, null)]
    [InlineData("'abc'", true, "'abc'")]
    [InlineData("current_timestamp()", true, "current_timestamp()")]
    [InlineData("abc", false, "'abc'")]
    [InlineData("it's", false, "'it''s'")]
    public void MySQL_and_MariaDB_defaults_become_one_expression(string catalog, bool mariaDb, string? expression) =>
        Assert.Equal(expression, MySqlCatalogReader.NormaliseDefault(catalog, "", mariaDb));

    [Fact]
    public void A_view_body_loses_its_database_name() =>
        Assert.Equal("select `t`.`id` AS `id` from `t`", MySqlCatalogReader.Unqualify("select `prod`.`t`.`id` AS `id` from `prod`.`t`", "prod"));

    [Theory]
    [InlineData(ProviderKind.MariaDb, "CREATE TABLE `x``; DROP TABLE t; --` (\n  `a'b` int NOT NULL\n) ENGINE=InnoDB")]
    [InlineData(ProviderKind.PostgreSql, "CREATE TABLE \"public\".\"x`; DROP TABLE t; --\" (\n  \"a'b\" integer NOT NULL\n)")]
    public void Hostile_names_stay_inside_their_quotes(ProviderKind kind, string expected)
    {
        var pg = kind == ProviderKind.PostgreSql;
        var table = new DbTable { Schema = pg ? "public" : null, Name = "x`; DROP TABLE t; --", Engine = pg ? null : "InnoDB" };
        table.Columns.Add(new DbColumn { Name = "a'b", Type = pg ? "integer" : "int" });
        var scripter = DdlScripter.For(kind);
        var item = scripter.Items(new DbCatalog { Provider = kind, Database = "d", Tables = { table } }).First();

        Assert.Equal(expected, scripter.Create(item, new DbCatalog { Provider = kind, Database = "d" })[0].Sql);
    }

    [Fact]
    public void Comments_and_defaults_are_literals_with_their_quotes_doubled()
    {
        var scripter = DdlScripter.For(ProviderKind.MariaDb);
        var t = new DbTable { Name = "t" };
        Assert.Equal("`c` varchar(5) NULL COMMENT 'it''s \\\\ here'",
            scripter.ColumnDefinition(t, new DbColumn { Name = "c", Type = "varchar(5)", Nullable = true, Comment = "it's \\ here" }));
    }

    [Fact]
    public void A_view_that_reads_another_view_is_created_after_it()
    {
        var catalog = new DbCatalog { Provider = ProviderKind.MariaDb, Database = "d" };
        catalog.Views.Add(new DbView(null, "a_resumo", "select `id` from `z_base`"));
        catalog.Views.Add(new DbView(null, "z_base", "select `id` from `t`"));
        var scripter = DdlScripter.For(ProviderKind.MariaDb);
        var statements = catalog.Views.Select(v => scripter.Create(new SchemaItem(SchemaObjectKind.View, v.Name, v.Name, null, v.Definition, v), catalog)[0])
            .Prepend(new DdlStatement(DdlPhase.CreateTables, "CREATE TABLE `t` (`id` int)")).ToList();

        var ordered = SchemaComparer.ViewsAfterTheViewsTheyRead(statements, scripter, catalog);

        Assert.Equal(["CREATE TABLE `t` (`id` int)", "CREATE OR REPLACE VIEW `z_base` AS select `id` from `t`", "CREATE OR REPLACE VIEW `a_resumo` AS select `id` from `z_base`"],
            ordered.Select(s => s.Sql));
    }

    [Theory]
    [InlineData("ped*", "pedidos", true)]
    [InlineData("PED*", "pedidos", true)]
    [InlineData("p?didos", "pedidos", true)]
    [InlineData("[pq]edidos", "pedidos", true)]
    [InlineData("itens", "itens_2", false)]
    [InlineData("a.b*", "a.bc", true)]
    public void Wildcards_match_as_PowerShell_like(string pattern, string text, bool match) =>
        Assert.Equal(match, Wildcard.IsMatch(pattern, text));

    [Fact]
    public void Table_patterns_without_a_dot_match_the_table_alone()
    {
        var filter = new SchemaFilter(null, ["*i*"]);
        Assert.True(filter.Includes(new TableName("public", "order")));
        Assert.False(filter.Includes(new TableName("public", "itens")));
        Assert.False(new SchemaFilter(["vendas.*"]).Includes(new TableName("public", "pedidos")));
    }

    [Fact]
    public void Binary_COPY_tuples_are_counted_across_any_chunking()
    {
        // Header, three tuples (2 fields; one NULL), trailer.
        var stream = new List<byte>();
        stream.AddRange("PGCOPY\n\xff\r\n\0"u8.ToArray().Take(11));
        stream.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 });
        for (var i = 0; i < 3; i++)
        {
            stream.AddRange(new byte[] { 0, 2, 0, 0, 0, 4, 1, 2, 3, 4 });
            stream.AddRange(i == 1 ? new byte[] { 0xff, 0xff, 0xff, 0xff } : new byte[] { 0, 0, 0, 1, 9 });
        }
        stream.AddRange(new byte[] { 0xff, 0xff });
        var bytes = stream.ToArray();
        foreach (var chunk in new[] { 1, 2, 3, 7, bytes.Length })
        {
            var counter = new BinaryCopyTupleCounter();
            for (var i = 0; i < bytes.Length; i += chunk) counter.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            Assert.Equal(3, counter.Tuples);
        }
    }
}
