using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>What the admin types as -Table: table or schema.table, parts quoted in any engine's style.</summary>
public sealed class TableNameTests
{
    [Theory]
    [InlineData("orders", null, "orders")]
    [InlineData("public.orders", "public", "orders")]
    [InlineData("  sales . orders  ", "sales", "orders")]
    [InlineData("\"my schema\".\"odd.table\"", "my schema", "odd.table")]
    [InlineData("\"a\"\"b\".c", "a\"b", "c")]
    [InlineData("[dbo].[order details]", "dbo", "order details")]
    [InlineData("[a]]b].[c.d]", "a]b", "c.d")]
    [InlineData("`shop`.`or``ders`", "shop", "or`ders")]
    [InlineData("\"MixedCase\"", null, "MixedCase")]
    [InlineData("dbo.\"x.y\"", "dbo", "x.y")]
    [InlineData("ação.pedidos", "ação", "pedidos")]
    public void ParsesSchemaAndTable(string text, string? schema, string name) =>
        Assert.Equal(new TableName(schema, name), TableName.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"orders")]
    [InlineData("[dbo].[orders")]
    [InlineData("`orders")]
    [InlineData("a.b.c")]
    [InlineData("db.dbo.orders")]
    [InlineData("\"a\".\"b\".\"c\"")]
    [InlineData("orders.")]
    [InlineData(".orders")]
    [InlineData("a..b")]
    [InlineData("\"\"")]
    [InlineData("\"a\"x")]
    [InlineData("[a] b")]
    public void RefusesWhatIsNotTableOrSchemaDotTable(string text)
    {
        var ex = Assert.Throws<SyncException>(() => TableName.Parse(text));
        Assert.Equal(SyncErrorKind.IdentifierInvalid, ex.Kind);
        if (!string.IsNullOrWhiteSpace(text)) Assert.Contains(text.Trim(), ex.Message);
    }

    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("public.orders", "public.orders")]
    public void ToStringIsSchemaDotName(string text, string shown) => Assert.Equal(shown, TableName.Parse(text).ToString());
}
