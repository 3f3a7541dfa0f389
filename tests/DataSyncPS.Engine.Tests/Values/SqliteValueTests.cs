using System.Text;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Tests.Values.ValueRoundTrip;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>
/// SQLite values carry their own storage class (TEXT, INTEGER, REAL, BLOB, NULL) whatever the declared
/// type says; each comes out as string, number, number, base64, null — unless the column declares a
/// type of DESIGN contract 3 (DECIMAL/NUMERIC, BOOLEAN, DATE, DATETIME/TIMESTAMP, JSON) and the value
/// is one: then it is written as that type. A value that is not what its column declares is written
/// as it is stored, never forced into the type.
/// </summary>
public sealed class SqliteValueTests
{
    private const ProviderKind Lite = ProviderKind.Sqlite;

    [Theory]
    [InlineData("INTEGER", "9223372036854775807", "9223372036854775807")]
    [InlineData("INTEGER", "-42", "-42")]
    [InlineData("REAL", "0.1", "0.1")]
    [InlineData("REAL", "1.5", "1.5")]
    [InlineData("REAL", "-1.5e300", "-1.5E+300")]
    [InlineData("TEXT", "'plain'", "\"plain\"")]
    [InlineData("TEXT", "'quote \" backslash \\ newline' || char(10)", "\"quote \\\" backslash \\\\ newline\\n\"")]
    [InlineData("BLOB", "x'00FF10'", "\"AP8Q\"")]
    [InlineData("BLOB", "x''", "\"\"")]
    public Task StorageClasses(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    // Other declared types are only affinities: a value keeps the class it was stored with.
    [Theory]
    [InlineData("", "'text in an untyped column'", "\"text in an untyped column\"")]
    [InlineData("", "7", "7")]
    [InlineData("TEXT", "7", "\"7\"")]
    [InlineData("INTEGER", "'12'", "12")]
    [InlineData("VARCHAR(10)", "'2024-01-02 03:04:05'", "\"2024-01-02 03:04:05\"")]
    public Task DeclaredTypesAreOnlyAffinities(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    // NUMERIC affinity keeps '751.40' as the REAL 751.4: the declared scale gives the digits back
    // (zeros added, never a digit rounded away).
    [Theory]
    [InlineData("DECIMAL(10,2)", "'751.40'", "751.40")]
    [InlineData("DECIMAL(10,2)", "751.4", "751.40")]
    [InlineData("NUMERIC(10,2)", "10", "10.00")]
    [InlineData("decimal(10, 3)", "0.1", "0.100")]
    [InlineData("DECIMAL(10,2)", "-0.05", "-0.05")]
    [InlineData("DECIMAL(10,2)", "1.005", "1.005")]
    [InlineData("NUMERIC", "'12.5'", "12.5")]
    [InlineData("DECIMAL(18,0)", "123456789012345678", "123456789012345678")]
    [InlineData("DECIMAL(10,2)", "'1,50'", "\"1,50\"")]
    [InlineData("DECIMAL(10,2)", "'n/a'", "\"n/a\"")]
    public Task Decimals(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    [Theory]
    [InlineData("BOOLEAN", "1", "true")]
    [InlineData("BOOLEAN", "0", "false")]
    [InlineData("BOOL", "TRUE", "true")]
    [InlineData("BOOLEAN", "'false'", "false")]
    [InlineData("BOOLEAN", "2", "2")]
    [InlineData("BOOLEAN", "'sim'", "\"sim\"")]
    public Task Booleans(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    [Theory]
    [InlineData("DATE", "'2024-02-29'", "\"2024-02-29\"")]
    [InlineData("DATE", "'2024-02-29 00:00:00'", "\"2024-02-29\"")]
    [InlineData("DATE", "'2024-02-29 10:00:00'", "\"2024-02-29 10:00:00\"")]
    [InlineData("DATE", "'2024-02-30'", "\"2024-02-30\"")]
    [InlineData("DATE", "'29/02/2024'", "\"29/02/2024\"")]
    [InlineData("DATE", "20240229", "20240229")]
    public Task Dates(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    [Theory]
    [InlineData("DATETIME", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("TIMESTAMP", "'2024-01-02T03:04:05.123'", "\"2024-01-02T03:04:05.123+00:00\"")]
    [InlineData("DATETIME", "'2024-01-02 03:04'", "\"2024-01-02T03:04:00+00:00\"")]
    [InlineData("DATETIME", "'2024-01-02'", "\"2024-01-02T00:00:00+00:00\"")]
    [InlineData("DATETIME", "'2024-01-02T03:04:05-03:00'", "\"2024-01-02T03:04:05-03:00\"")]
    [InlineData("DATETIME", "'2024-01-02 03:04:05Z'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("DATETIME", "'2024-01-02 03:04:05.1234567891'", "\"2024-01-02 03:04:05.1234567891\"")]
    [InlineData("DATETIME", "'2024-13-01 00:00:00'", "\"2024-13-01 00:00:00\"")]
    [InlineData("DATETIME", "'ontem'", "\"ontem\"")]
    [InlineData("DATETIME", "1704164645", "1704164645")]
    public Task Timestamps(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    [Theory]
    [InlineData("DATETIME", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05-03:00\"")]
    [InlineData("TIMESTAMP", "'9999-12-31 23:59:59'", "\"9999-12-31T23:59:59-03:00\"")]
    // A timestamp stored with its own offset keeps it: the source's zone is for those without one.
    [InlineData("DATETIME", "'2024-01-02T03:04:05+01:00'", "\"2024-01-02T03:04:05+01:00\"")]
    public Task TimestampsInTheSourceTimeZone(string type, string literal, string json) =>
        AssertValue(Lite, type, literal, json, TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo"));

    [Theory]
    [InlineData("JSON", "'{\"a\": 1, \"b\": [true, null]}'", "{\"a\": 1, \"b\": [true, null]}")]
    [InlineData("JSON", "'[1.10, 2]'", "[1.10, 2]")]
    [InlineData("JSON", "'\"just a string\"'", "\"just a string\"")]
    [InlineData("JSON", "5", "5")]
    [InlineData("JSON", "'{not json'", "\"{not json\"")]
    public Task Json(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

    [Fact]
    public async Task NonAsciiTextIsWrittenAsUtf8NotEscaped()
    {
        const string text = "São João nº 5 — ação 😀";
        var exported = await ExportValue(Lite, "TEXT", $"'{text}'");
        Assert.Equal("\"" + text + "\"", exported.RawValue);
        Assert.True(exported.Jsonl.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0, "the file must hold the text's own UTF-8 bytes, not \\u escapes");
    }

    [Theory]
    [InlineData("INTEGER")]
    [InlineData("REAL")]
    [InlineData("TEXT")]
    [InlineData("BLOB")]
    [InlineData("")]
    [InlineData("DECIMAL(10,2)")]
    [InlineData("BOOLEAN")]
    [InlineData("DATE")]
    [InlineData("DATETIME")]
    [InlineData("JSON")]
    public Task NullIsNull(string type) => AssertValue(Lite, type, "NULL", "null");
}
