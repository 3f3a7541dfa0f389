using DataSyncPS.Engine.Schema;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>Catalog reading, comparing and DDL on the real servers: the same schema typed another way is no
/// difference; a drifted sandbox gives the expected differences, and the script made from them, run on
/// the sandbox, leaves nothing to compare.</summary>
public class CompareSchemaTests
{
    public static TheoryData<ProviderKind> Engines => [ProviderKind.MariaDb, ProviderKind.PostgreSql];

    private static Task<DbCatalog> Read(SyncSource s) => CatalogReading.ReadAsync(s, null, default);

    [Theory, MemberData(nameof(Engines))]
    public async Task Catalog_reader_sees_every_kind_of_object(ProviderKind kind)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, "cmp_read");
        await SchemaDatabases.ExecAsync(prod, ProductionSchema.For(kind));
        var c = await Read(prod);

        Assert.Equal(["clientes", "itens", "order", "pedidos"], c.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        var clientes = c.Tables.Single(t => t.Name == "clientes");
        var quote = clientes.Columns.Single(x => x.Name == "it's");
        Assert.Equal("quote's", quote.Comment);
        Assert.Contains("x", quote.Default);
        var pedidos = c.Tables.Single(t => t.Name == "pedidos");
        Assert.NotNull(pedidos.Columns.Single(x => x.Name == "subtotal").GeneratedExpression);
        Assert.Equal(2, pedidos.ForeignKeys.Count);
        Assert.Equal("CASCADE", pedidos.ForeignKeys.Single(f => f.Name == "fk_cliente").OnDelete);
        Assert.Single(clientes.ForeignKeys, f => f.ReferencedTable.Name == "clientes");
        Assert.Single(pedidos.Checks, k => k.Expression.Contains("qtd"));
        Assert.Single(c.Views);
        Assert.Single(c.Triggers);
        if (kind == ProviderKind.PostgreSql)
        {
            Assert.Equal(["novo", "pago", "enviado"], c.EnumTypes.Single().Labels);
            Assert.Contains(c.Sequences, s => s.Name == "nota_seq" && s.Start == 1000);
            Assert.Equal("ALWAYS", pedidos.Columns.Single(x => x.Name == "id").Identity);
            Assert.Equal("C", clientes.Columns.Single(x => x.Name == "email").Collation);
            Assert.Single(clientes.UniqueConstraints);
            Assert.Contains("WHERE", pedidos.Indexes.Single().Definition);
            Assert.Single(c.Routines);
        }
        else
        {
            Assert.Equal("int", clientes.Columns.Single(x => x.Name == "id").Type);
            Assert.True(clientes.Columns.Single(x => x.Name == "id").AutoIncrement);
            Assert.NotNull(clientes.Columns.Single(x => x.Name == "criado_em").OnUpdate);
            Assert.Equal(20, clientes.Indexes.Single(i => i.Name == "idx_nome").Parts.Single().PrefixLength);
            Assert.True(pedidos.Indexes.Single(i => i.Name == "idx_cli_total").Parts[1].Descending);
            Assert.Equal(["FUNCTION", "PROCEDURE"], c.Routines.Select(r => r.Kind).Order());
            Assert.DoesNotContain("DEFINER", c.Routines[0].Definition);
            Assert.DoesNotContain(prod.Database!, c.Views.Single().Definition);
        }
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task The_same_schema_typed_another_way_is_no_difference(ProviderKind kind)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, "cmp_same_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "cmp_same_sandbox");
        await SchemaDatabases.ExecAsync(prod, ProductionSchema.For(kind));
        await SchemaDatabases.ExecAsync(sandbox, ProductionSchema.Respelled(kind));

        var differences = SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter());

        Assert.Empty(differences.Select(d => $"{d} ref=[{d.ReferenceDefinition}] dif=[{d.DifferenceDefinition}]"));
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task A_drifted_sandbox_gives_its_differences_and_the_script_repairs_it(ProviderKind kind)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, "cmp_drift_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "cmp_drift_sandbox");
        await SchemaDatabases.ExecAsync(prod, ProductionSchema.For(kind));
        var q = SqlDialectFor(kind);
        await SchemaDatabases.ExecAsync(prod, $"CREATE TABLE {q("x'; DROP TABLE clientes; --")} ({q("a`\"b")} int PRIMARY KEY)");
        // Drift: a missing table (with the cycle's other half), a changed column, an extra index, an extra table, a changed view.
        await SchemaDatabases.ExecAsync(sandbox, ProductionSchema.For(kind).Where(s => !s.Contains("TABLE itens") && !s.Contains("fk_ultimo_item")).ToArray());
        await SchemaDatabases.ExecAsync(sandbox,
            "DROP VIEW v_pedidos",
            "ALTER TABLE clientes " + (kind == ProviderKind.PostgreSql ? "ALTER COLUMN nome TYPE varchar(50)" : "MODIFY nome varchar(50) NOT NULL"),
            "CREATE INDEX idx_extra ON pedidos (qtd)",
            "CREATE TABLE sobra (id int PRIMARY KEY)",
            "CREATE VIEW v_pedidos AS SELECT p.id, c.nome, p.subtotal FROM pedidos p JOIN clientes c ON c.id = p.cliente_id WHERE p.qtd > 0");

        var refCatalog = await Read(prod);
        var difCatalog = await Read(sandbox);
        var differences = SchemaComparer.Compare(refCatalog, difCatalog, new SchemaFilter());

        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.Table, Name: "itens" or "public.itens", Change: SchemaChange.Added });
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.ForeignKey, Change: SchemaChange.Added } && d.Name.EndsWith("fk_ultimo_item"));
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.Column, Change: SchemaChange.Changed } && d.Name.EndsWith("clientes.nome"));
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.Index, Change: SchemaChange.Removed } && d.Name.EndsWith("idx_extra"));
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.Table, Change: SchemaChange.Removed, LosesData: true } && d.Name.EndsWith("sobra"));
        Assert.Contains(differences, d => d is { ObjectKind: SchemaObjectKind.View, Change: SchemaChange.Changed });
        Assert.Contains(differences, d => d.ObjectKind == SchemaObjectKind.Table && d.Name.Contains("DROP TABLE clientes"));
        Assert.All(differences, d => Assert.False(string.IsNullOrWhiteSpace(d.Ddl)));

        var statements = SchemaComparer.Order(differences, refCatalog, difCatalog);
        await SchemaDatabases.ExecAsync(sandbox, statements.Select(s => s.Sql).ToArray());

        var after = SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter());
        Assert.Empty(after.Select(d => $"{d} ref=[{d.ReferenceDefinition}] dif=[{d.DifferenceDefinition}]"));
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task Table_filters_take_wildcards(ProviderKind kind)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, "cmp_filter_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "cmp_filter_sandbox");
        await SchemaDatabases.ExecAsync(prod, ProductionSchema.For(kind));

        var all = SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter(["ped*"]));
        Assert.Equal(["pedidos"], all.Where(d => d.ObjectKind == SchemaObjectKind.Table).Select(d => d.Name.Split('.').Last()));
        var excluded = SchemaComparer.Compare(await Read(prod), await Read(sandbox), new SchemaFilter(null, ["*i*"]));
        Assert.Equal(["order"], excluded.Where(d => d.ObjectKind == SchemaObjectKind.Table).Select(d => d.Name.Split('.').Last()));
    }

    private static Func<string, string> SqlDialectFor(ProviderKind kind) => Sources.SqlDialect.For(kind).QuoteIdentifier;
}
