using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Tests.Dialects.QuoteIdentifierTests;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>The statements an export sends, written out in full for the engines that cannot run here.</summary>
public sealed class PageSelectTests
{
    [Theory]
    [InlineData(ProviderKind.PostgreSql, "SELECT x FROM t ORDER BY x LIMIT 500")]
    [InlineData(ProviderKind.MySql, "SELECT x FROM t ORDER BY x LIMIT 500")]
    [InlineData(ProviderKind.Sqlite, "SELECT x FROM t ORDER BY x LIMIT 500")]
    [InlineData(ProviderKind.SqlServer, "SELECT TOP (500) x FROM t ORDER BY x")]
    [InlineData(ProviderKind.Oracle, "SELECT x FROM t ORDER BY x FETCH FIRST 500 ROWS ONLY")]
    public void LimitUsesEachEnginesSyntax(ProviderKind kind, string sql) =>
        Assert.Equal(sql, Dialect(kind).Limit("SELECT x FROM t ORDER BY x", 500));

    [Fact]
    public void SqlServerLimitsOnlySelects()
    {
        Assert.Equal("SELECT TOP (1) x FROM t", Dialect(ProviderKind.SqlServer).Limit("select x FROM t", 1));
        Assert.Throws<ArgumentException>(() => Dialect(ProviderKind.SqlServer).Limit("WITH c AS (SELECT 1 x) SELECT x FROM c", 1));
    }

    [Fact]
    public void SqlServerPages()
    {
        var plan = Plan(ProviderKind.SqlServer, "[dbo].[orders]", "[id], [updated_at], [total]", "updated_at", "id");
        Assert.Equal("SELECT [id], [updated_at], [total] FROM [dbo].[orders]", plan.FullSelect);
        Assert.Equal("SELECT TOP (500) [id], [updated_at], [total] FROM [dbo].[orders] ORDER BY [updated_at], [id]",
            plan.PageSelect(afterWatermark: false, lookbackStart: false, 500));
        Assert.Equal("SELECT TOP (500) [id], [updated_at], [total] FROM [dbo].[orders] WHERE ([updated_at] > @p0 OR ([updated_at] = @p0 AND [id] > @p1)) ORDER BY [updated_at], [id]",
            plan.PageSelect(afterWatermark: true, lookbackStart: false, 500));
        Assert.Equal("SELECT TOP (500) [id], [updated_at], [total] FROM [dbo].[orders] WHERE [updated_at] >= @p0 ORDER BY [updated_at], [id]",
            plan.PageSelect(afterWatermark: true, lookbackStart: true, 500));
    }

    [Fact]
    public void OraclePages()
    {
        var plan = Plan(ProviderKind.Oracle, "\"APP\".\"ORDERS\"", "\"ID\", \"UPDATED_AT\", \"TOTAL\"", "UPDATED_AT", "ID");
        Assert.Equal("SELECT \"ID\", \"UPDATED_AT\", \"TOTAL\" FROM \"APP\".\"ORDERS\"", plan.FullSelect);
        Assert.Equal("SELECT \"ID\", \"UPDATED_AT\", \"TOTAL\" FROM \"APP\".\"ORDERS\" ORDER BY \"UPDATED_AT\", \"ID\" FETCH FIRST 500 ROWS ONLY",
            plan.PageSelect(afterWatermark: false, lookbackStart: false, 500));
        Assert.Equal("SELECT \"ID\", \"UPDATED_AT\", \"TOTAL\" FROM \"APP\".\"ORDERS\" WHERE (\"UPDATED_AT\" > :p0 OR (\"UPDATED_AT\" = :p0 AND \"ID\" > :p1)) ORDER BY \"UPDATED_AT\", \"ID\" FETCH FIRST 500 ROWS ONLY",
            plan.PageSelect(afterWatermark: true, lookbackStart: false, 500));
        Assert.Equal("SELECT \"ID\", \"UPDATED_AT\", \"TOTAL\" FROM \"APP\".\"ORDERS\" WHERE \"UPDATED_AT\" >= :p0 ORDER BY \"UPDATED_AT\", \"ID\" FETCH FIRST 500 ROWS ONLY",
            plan.PageSelect(afterWatermark: true, lookbackStart: true, 500));
    }

    [Fact]
    public void OraclePagesAQueryAsADerivedTable()
    {
        var plan = Plan(ProviderKind.Oracle, "(SELECT * FROM APP.ORDERS WHERE STATUS = 'A') q", "*", "UPDATED_AT", "ID");
        Assert.Equal("SELECT * FROM (SELECT * FROM APP.ORDERS WHERE STATUS = 'A') q WHERE (\"UPDATED_AT\" > :p0 OR (\"UPDATED_AT\" = :p0 AND \"ID\" > :p1)) ORDER BY \"UPDATED_AT\", \"ID\" FETCH FIRST 10 ROWS ONLY",
            plan.PageSelect(afterWatermark: true, lookbackStart: false, 10));
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "SELECT \"id\" FROM \"public\".\"t\" WHERE (\"ts\", \"id\") > (@p0, @p1) ORDER BY \"ts\", \"id\" LIMIT 7")]
    [InlineData(ProviderKind.MariaDb, "SELECT `id` FROM `public`.`t` WHERE (`ts` > @p0 OR (`ts` = @p0 AND `id` > @p1)) ORDER BY `ts`, `id` LIMIT 7")]
    [InlineData(ProviderKind.Sqlite, "SELECT \"id\" FROM \"public\".\"t\" WHERE (\"ts\", \"id\") > (@p0, @p1) ORDER BY \"ts\", \"id\" LIMIT 7")]
    public void OtherEnginesPageTheSameWay(ProviderKind kind, string sql)
    {
        var d = Dialect(kind);
        var plan = Plan(kind, d.QuoteTable(new TableName("public", "t")), d.QuoteIdentifier("id"), "ts", "id");
        Assert.Equal(sql, plan.PageSelect(afterWatermark: true, lookbackStart: false, 7));
    }

    [Fact]
    public void AKeysetColumnWithQuotesInItsNameStaysOneIdentifier()
    {
        var plan = Plan(ProviderKind.SqlServer, "[t]", "*", "x]; DROP TABLE t; --", "id");
        Assert.Equal("SELECT TOP (5) * FROM [t] WHERE ([x]]; DROP TABLE t; --] > @p0 OR ([x]]; DROP TABLE t; --] = @p0 AND [id] > @p1)) ORDER BY [x]]; DROP TABLE t; --], [id]",
            plan.PageSelect(afterWatermark: true, lookbackStart: false, 5));
    }

    private static SqlExportPlan Plan(ProviderKind kind, string relation, string selectList, params string[] keyset) => new()
    {
        Dialect = Dialect(kind),
        Stream = "orders",
        Relation = relation,
        SelectList = selectList,
        KeysetColumns = keyset,
    };
}
