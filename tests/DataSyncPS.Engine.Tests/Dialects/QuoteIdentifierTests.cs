using DataSyncPS.Engine.Sources;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>
/// Identifiers reach SQL only through QuoteIdentifier (DESIGN contract 7): whatever the admin typed,
/// the result must be one identifier that names exactly what was typed, never SQL of its own.
/// </summary>
public sealed class QuoteIdentifierTests
{
    public static readonly TheoryData<string> Malicious =
    [
        "'; DROP TABLE x; --",
        "x\"; DROP TABLE t; --",
        "x]; DROP TABLE t; --",
        "x`; DROP TABLE t; --",
        "a\"b", "a]b", "a`b", "a[b", "a;b", "a'b",
        "\"", "]", "`", "\"\"", "]]", "``",
        "a.b", "-- comment", "/* x */", "line\nbreak", "ação 😀",
    ];

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "orders", "\"orders\"")]
    [InlineData(ProviderKind.PostgreSql, "a\"b", "\"a\"\"b\"")]
    [InlineData(ProviderKind.Oracle, "ORDERS", "\"ORDERS\"")]
    [InlineData(ProviderKind.Oracle, "a\"b", "\"a\"\"b\"")]
    [InlineData(ProviderKind.Sqlite, "a\"b", "\"a\"\"b\"")]
    [InlineData(ProviderKind.MySql, "orders", "`orders`")]
    [InlineData(ProviderKind.MariaDb, "a`b", "`a``b`")]
    [InlineData(ProviderKind.MySql, "a\"b", "`a\"b`")]
    [InlineData(ProviderKind.SqlServer, "orders", "[orders]")]
    [InlineData(ProviderKind.SqlServer, "a]b", "[a]]b]")]
    [InlineData(ProviderKind.SqlServer, "a[b", "[a[b]")]
    public void QuotesAndDoublesTheClosingQuote(ProviderKind kind, string identifier, string quoted) =>
        Assert.Equal(quoted, Dialect(kind).QuoteIdentifier(identifier));

    [Theory]
    [MemberData(nameof(Malicious))]
    public void EveryDialectMakesOneIdentifierOfMaliciousText(string identifier)
    {
        foreach (var kind in new[] { ProviderKind.PostgreSql, ProviderKind.MySql, ProviderKind.MariaDb, ProviderKind.SqlServer, ProviderKind.Oracle, ProviderKind.Sqlite })
        {
            var quoted = Dialect(kind).QuoteIdentifier(identifier);
            Assert.Equal(identifier, Unquote(quoted, kind));
        }
    }

    // A real parser agrees: SQLite reads "..." (PostgreSQL, Oracle, SQLite) and `...` (MySQL) by the
    // same doubling rules, so the column it names is exactly the text typed.
    [Theory]
    [MemberData(nameof(Malicious))]
    public void SqliteParsesTheQuotedTextAsThatOneName(string identifier)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var kind in new[] { ProviderKind.PostgreSql, ProviderKind.MySql })
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT 1 AS {Dialect(kind).QuoteIdentifier(identifier)}";
            using var reader = cmd.ExecuteReader();
            Assert.Equal(1, reader.FieldCount);
            Assert.Equal(identifier, reader.GetName(0));
        }
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql)]
    [InlineData(ProviderKind.MySql)]
    [InlineData(ProviderKind.SqlServer)]
    [InlineData(ProviderKind.Oracle)]
    [InlineData(ProviderKind.Sqlite)]
    public void ANulCharacterIsRefusedNotQuoted(ProviderKind kind)
    {
        var ex = Assert.Throws<SyncException>(() => Dialect(kind).QuoteIdentifier("a\0b"));
        Assert.Equal(SyncErrorKind.IdentifierInvalid, ex.Kind);
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "public", "orders", "\"public\".\"orders\"")]
    [InlineData(ProviderKind.PostgreSql, null, "orders", "\"orders\"")]
    [InlineData(ProviderKind.PostgreSql, "my schema", "odd.table", "\"my schema\".\"odd.table\"")]
    [InlineData(ProviderKind.MySql, "shop", "orders", "`shop`.`orders`")]
    [InlineData(ProviderKind.MariaDb, "sh`op", "or`ders", "`sh``op`.`or``ders`")]
    [InlineData(ProviderKind.SqlServer, "dbo", "orders", "[dbo].[orders]")]
    [InlineData(ProviderKind.SqlServer, "d]bo", "x]; DROP TABLE t; --", "[d]]bo].[x]]; DROP TABLE t; --]")]
    [InlineData(ProviderKind.Oracle, "APP", "ORDERS", "\"APP\".\"ORDERS\"")]
    [InlineData(ProviderKind.Sqlite, null, "orders", "\"orders\"")]
    public void QuoteTableQuotesEachPart(ProviderKind kind, string? schema, string name, string quoted) =>
        Assert.Equal(quoted, Dialect(kind).QuoteTable(new TableName(schema, name)));

    [Fact]
    public void WhatTheAdminTypesGoesThroughParseAndQuoteAsOneTable()
    {
        var table = TableName.Parse("'; DROP TABLE x; --");
        Assert.Equal(new TableName(null, "'; DROP TABLE x; --"), table);
        Assert.Equal("\"'; DROP TABLE x; --\"", Dialect(ProviderKind.PostgreSql).QuoteTable(table));
        Assert.Equal("['; DROP TABLE x; --]", Dialect(ProviderKind.SqlServer).QuoteTable(table));
    }

    internal static SqlDialect Dialect(ProviderKind kind) => kind == ProviderKind.Oracle ? new OracleDialect() : SqlDialect.For(kind);

    /// <summary>Reads a quoted identifier back: it must open and close with the dialect's quotes, and
    /// every closing quote inside must be doubled, so nothing can end the identifier early.</summary>
    private static string Unquote(string quoted, ProviderKind kind)
    {
        var (open, close) = kind switch
        {
            ProviderKind.MySql or ProviderKind.MariaDb => ('`', '`'),
            ProviderKind.SqlServer => ('[', ']'),
            _ => ('"', '"'),
        };
        Assert.True(quoted.Length >= 2 && quoted[0] == open && quoted[^1] == close, $"{kind}: {quoted} is not quoted");
        var inner = quoted[1..^1];
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == close)
            {
                Assert.True(i + 1 < inner.Length && inner[i + 1] == close, $"{kind}: {quoted} ends the identifier early at {i + 1}");
                i++;
            }
            text.Append(inner[i]);
        }
        return text.ToString();
    }
}
