using DataSyncPS.Engine.Sources;
using Microsoft.Data.Sqlite;
using static DataSyncPS.Engine.Tests.Dialects.QuoteIdentifierTests;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>
/// "Rows after (cursor, key...)": the row-value form where the engine compares row values with an
/// index (PostgreSQL, SQLite), else the equivalent OR-chain (DESIGN contract 2).
/// </summary>
public sealed class KeysetPredicateTests
{
    [Theory]
    [InlineData(ProviderKind.PostgreSql, "@p0")]
    [InlineData(ProviderKind.MySql, "@p0")]
    [InlineData(ProviderKind.MariaDb, "@p0")]
    [InlineData(ProviderKind.SqlServer, "@p0")]
    [InlineData(ProviderKind.Sqlite, "@p0")]
    [InlineData(ProviderKind.Oracle, ":p0")]
    public void ParameterNamesFollowTheProvider(ProviderKind kind, string first)
    {
        Assert.Equal(first, Dialect(kind).ParameterName(0));
        Assert.Equal(first[..^1] + "12", Dialect(kind).ParameterName(12));
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, 1, "\"a\" > @p0")]
    [InlineData(ProviderKind.PostgreSql, 2, "(\"a\", \"b\") > (@p0, @p1)")]
    [InlineData(ProviderKind.PostgreSql, 3, "(\"a\", \"b\", \"c\") > (@p0, @p1, @p2)")]
    [InlineData(ProviderKind.Sqlite, 1, "\"a\" > @p0")]
    [InlineData(ProviderKind.Sqlite, 2, "(\"a\", \"b\") > (@p0, @p1)")]
    [InlineData(ProviderKind.Sqlite, 3, "(\"a\", \"b\", \"c\") > (@p0, @p1, @p2)")]
    [InlineData(ProviderKind.MySql, 1, "`a` > @p0")]
    [InlineData(ProviderKind.MySql, 2, "(`a` > @p0 OR (`a` = @p0 AND `b` > @p1))")]
    [InlineData(ProviderKind.MariaDb, 3, "(`a` > @p0 OR (`a` = @p0 AND (`b` > @p1 OR (`b` = @p1 AND `c` > @p2))))")]
    [InlineData(ProviderKind.SqlServer, 1, "[a] > @p0")]
    [InlineData(ProviderKind.SqlServer, 2, "([a] > @p0 OR ([a] = @p0 AND [b] > @p1))")]
    [InlineData(ProviderKind.SqlServer, 3, "([a] > @p0 OR ([a] = @p0 AND ([b] > @p1 OR ([b] = @p1 AND [c] > @p2))))")]
    [InlineData(ProviderKind.Oracle, 1, "\"a\" > :p0")]
    [InlineData(ProviderKind.Oracle, 2, "(\"a\" > :p0 OR (\"a\" = :p0 AND \"b\" > :p1))")]
    [InlineData(ProviderKind.Oracle, 3, "(\"a\" > :p0 OR (\"a\" = :p0 AND (\"b\" > :p1 OR (\"b\" = :p1 AND \"c\" > :p2))))")]
    public void OneToThreeColumns(ProviderKind kind, int count, string predicate)
    {
        var dialect = Dialect(kind);
        var columns = new[] { "a", "b", "c" }.Take(count).Select(dialect.QuoteIdentifier).ToList();
        Assert.Equal(predicate, dialect.KeysetPredicate(columns, 0));
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "(\"a\", \"b\") > (@p2, @p3)")]
    [InlineData(ProviderKind.SqlServer, "([a] > @p2 OR ([a] = @p2 AND [b] > @p3))")]
    [InlineData(ProviderKind.Oracle, "(\"a\" > :p2 OR (\"a\" = :p2 AND \"b\" > :p3))")]
    public void ParametersStartWhereTheCallerSays(ProviderKind kind, string predicate)
    {
        var dialect = Dialect(kind);
        Assert.Equal(predicate, dialect.KeysetPredicate([dialect.QuoteIdentifier("a"), dialect.QuoteIdentifier("b")], 2));
    }

    // The OR-chain must select exactly the rows the row-value comparison does: SQLite runs both, over
    // every row of a 3x3x3 grid and every watermark in it, ties included.
    [Theory]
    [InlineData(ProviderKind.PostgreSql, ">=", "(\"a\", \"b\") >= (@p0, @p1)")]
    [InlineData(ProviderKind.PostgreSql, "<=", "(\"a\", \"b\") <= (@p2, @p3)")]
    [InlineData(ProviderKind.MariaDb, ">=", "(`a` > @p0 OR (`a` = @p0 AND `b` >= @p1))")]
    [InlineData(ProviderKind.MariaDb, "<=", "(`a` < @p2 OR (`a` = @p2 AND `b` <= @p3))")]
    [InlineData(ProviderKind.Oracle, "<", "(\"a\" < :p2 OR (\"a\" = :p2 AND \"b\" < :p3))")]
    public void KeyRangesCompareEveryWay(ProviderKind kind, string op, string predicate)
    {
        var dialect = Dialect(kind);
        Assert.Equal(predicate, dialect.KeysetComparison([dialect.QuoteIdentifier("a"), dialect.QuoteIdentifier("b")], op, op.StartsWith('<') ? 2 : 0));
    }

    [Theory]
    [InlineData(1, ">")]
    [InlineData(2, ">")]
    [InlineData(3, ">")]
    [InlineData(3, ">=")]
    [InlineData(3, "<")]
    [InlineData(3, "<=")]
    [InlineData(2, "<=")]
    public void TheOrChainMeansTheSameAsTheRowValueComparison(int count, string op)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE TABLE t (a int, b int, c int)");
        Execute(connection, "INSERT INTO t SELECT x.v, y.v, z.v FROM (SELECT 0 v UNION SELECT 1 UNION SELECT 2) x, (SELECT 0 v UNION SELECT 1 UNION SELECT 2) y, (SELECT 0 v UNION SELECT 1 UNION SELECT 2) z");
        var chain = Dialect(ProviderKind.MySql).KeysetComparison(new[] { "`a`", "`b`", "`c`" }.Take(count).ToList(), op, 0);
        var rowValue = Dialect(ProviderKind.Sqlite).KeysetComparison(new[] { "\"a\"", "\"b\"", "\"c\"" }.Take(count).ToList(), op, 0);
        for (var w = 0; w < 27; w++)
        {
            object[] watermark = [w / 9, w / 3 % 3, w % 3];
            Assert.Equal(Rows(connection, rowValue, watermark, count), Rows(connection, chain, watermark, count));
        }
    }

    private static string Rows(SqliteConnection connection, string predicate, object[] watermark, int count)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT group_concat(a || b || c) FROM (SELECT a, b, c FROM t WHERE {predicate} ORDER BY a, b, c)";
        for (var i = 0; i < count; i++) cmd.Parameters.AddWithValue("@p" + i, watermark[i]);
        return Convert.ToString(cmd.ExecuteScalar()) ?? "";
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void NoColumnsIsAProgrammingError() =>
        Assert.Throws<ArgumentException>(() => Dialect(ProviderKind.PostgreSql).KeysetPredicate([], 0));
}
