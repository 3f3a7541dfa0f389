using System.Text;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;
using static DataSyncPS.Engine.Tests.Values.ValueRoundTrip;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>MariaDB 10.11 types as they must appear in JSONL (DESIGN contract 3): one row per type.</summary>
public sealed class MariaDbValueTests
{
    private const ProviderKind Maria = ProviderKind.MariaDb;

    [Theory]
    [InlineData("TINYINT", "-128", "-128")]
    [InlineData("TINYINT UNSIGNED", "255", "255")]
    [InlineData("SMALLINT", "-32768", "-32768")]
    [InlineData("MEDIUMINT", "8388607", "8388607")]
    [InlineData("INT", "-2147483648", "-2147483648")]
    [InlineData("INT UNSIGNED", "4294967295", "4294967295")]
    [InlineData("BIGINT", "-9223372036854775808", "-9223372036854775808")]
    [InlineData("BIGINT UNSIGNED", "18446744073709551615", "18446744073709551615")]
    [InlineData("YEAR", "2024", "2024")]
    public Task Integers(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("DECIMAL(14,2)", "10.50", "10.50")]
    [InlineData("DECIMAL(14,2)", "-0.01", "-0.01")]
    [InlineData("DECIMAL(10,0)", "12345", "12345")]
    // System.Decimal parsing rounds past 28 digits without a word: these must come out digit for digit.
    [InlineData("DECIMAL(38,10)", "12345678901234567890.0123456789", "12345678901234567890.0123456789")]
    [InlineData("DECIMAL(65,30)", "0.123456789012345678901234567890", "0.123456789012345678901234567890")]
    [InlineData("DECIMAL(65,30)", "-0.000000000000000000000000000001", "-0.000000000000000000000000000001")]
    [InlineData("DECIMAL(65,0)", "12345678901234567890123456789012345678901234567890123456789012345", "12345678901234567890123456789012345678901234567890123456789012345")]
    public Task Decimals(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("DOUBLE", "0.1", "0.1")]
    [InlineData("DOUBLE", "-1.5e300", "-1.5E+300")]
    [InlineData("FLOAT", "0.1", "0.1")]
    [InlineData("FLOAT", "1.5", "1.5")]
    public Task Floats(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("TINYINT(1)", "1", "true")]
    [InlineData("TINYINT(1)", "0", "false")]
    [InlineData("BOOLEAN", "TRUE", "true")]
    [InlineData("BOOL", "FALSE", "false")]
    // BIT(1) is how many schemas (Hibernate's, for one) store a boolean; wider BITs are numbers.
    [InlineData("BIT(1)", "b'1'", "true")]
    [InlineData("BIT(1)", "b'0'", "false")]
    [InlineData("BIT(8)", "b'10000001'", "129")]
    [InlineData("BIT(64)", "b'1111111111111111111111111111111111111111111111111111111111111111'", "18446744073709551615")]
    public Task Booleans(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("CHAR(5)", "'ab'", "\"ab\"")]
    [InlineData("VARCHAR(10)", "'abc'", "\"abc\"")]
    [InlineData("TEXT", "'plain'", "\"plain\"")]
    [InlineData("LONGTEXT", "'quote \" backslash \\\\ newline \\n'", "\"quote \\\" backslash \\\\ newline \\n\"")]
    [InlineData("ENUM('small','large')", "'large'", "\"large\"")]
    [InlineData("SET('x','y','z')", "'x,z'", "\"x,z\"")]
    [InlineData("SET('x','y','z')", "''", "\"\"")]
    [InlineData("UUID", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"")]
    public Task Text(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Fact]
    public async Task NonAsciiTextIsWrittenAsUtf8NotEscaped()
    {
        const string text = "São João nº 5 — ação 😀";
        var exported = await ExportValue(Maria, "VARCHAR(100) CHARACTER SET utf8mb4", $"'{text}'");
        Assert.Equal("\"" + text + "\"", exported.RawValue);
        Assert.True(exported.Jsonl.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0, "the file must hold the text's own UTF-8 bytes, not \\u escapes");
    }

    [Theory]
    [InlineData("DATE", "'2024-02-29'", "\"2024-02-29\"")]
    [InlineData("DATETIME", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("DATETIME(6)", "'2024-01-02 03:04:05.123456'", "\"2024-01-02T03:04:05.123456+00:00\"")]
    [InlineData("TIMESTAMP", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("TIME", "'13:45:30'", "\"13:45:30\"")]
    [InlineData("TIME(6)", "'13:45:30.123456'", "\"13:45:30.123456\"")]
    [InlineData("TIME", "'-01:30:00'", "\"-01:30:00\"")]
    // TIME is also a duration: hours run past 24 as the server shows them.
    [InlineData("TIME", "'838:59:59'", "\"838:59:59\"")]
    [InlineData("TIME", "'-838:59:59'", "\"-838:59:59\"")]
    [InlineData("TIME(6)", "'-00:00:00.5'", "\"-00:00:00.5\"")]
    public Task DatesAndTimes(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("DATETIME", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05-03:00\"")]
    // The usual "valid until forever" sentinel: in UTC it would be past year 9999, which DateTimeOffset refuses.
    [InlineData("DATETIME", "'9999-12-31 23:59:59'", "\"9999-12-31T23:59:59-03:00\"")]
    // TIMESTAMP is an instant (stored in UTC): the source's zone must not relabel it.
    [InlineData("TIMESTAMP", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("TIMESTAMP(3)", "'2024-01-02 03:04:05.5'", "\"2024-01-02T03:04:05.5+00:00\"")]
    public Task TimestampsInTheSourceTimeZone(string type, string literal, string json) =>
        AssertValue(Maria, type, literal, json, TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo"));

    // The server sends TIMESTAMP in the session's zone, which defaults to the server's own: exports
    // must read it in UTC whatever the server is set to.
    [Fact]
    public async Task ExportSessionsReadTimestampsInUtc()
    {
        TestServers.Require(Maria);
        var ct = TestContext.Current.CancellationToken;
        var source = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = Maria, ConnectionString = TestServers.MariaDb }, test: true, ct);
        await using var connection = await SourceConnector.OpenAsync(source, ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT @@session.time_zone";
        Assert.Equal("+00:00", await cmd.ExecuteScalarAsync(ct));
    }

    // MariaDB's JSON is LONGTEXT plus CHECK (json_valid(...)): the catalog, not the driver, says it is JSON.
    [Theory]
    [InlineData("JSON", "'{\"a\": 1, \"b\": [true, null]}'", "{\"a\": 1, \"b\": [true, null]}")]
    [InlineData("JSON", "'[1.10, 2]'", "[1.10, 2]")]
    [InlineData("JSON", "'\"just a string\"'", "\"just a string\"")]
    [InlineData("JSON", "'{\"name\": \"ação 😀\"}'", "{\"name\": \"ação 😀\"}")]
    public Task Json(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("BLOB", "x'00FF10'", "\"AP8Q\"")]
    [InlineData("VARBINARY(10)", "x'00FF10'", "\"AP8Q\"")]
    [InlineData("BINARY(3)", "x'0102'", "\"AQIA\"")]
    [InlineData("LONGBLOB", "''", "\"\"")]
    public Task Binary(string type, string literal, string json) => AssertValue(Maria, type, literal, json);

    [Theory]
    [InlineData("TINYINT")]
    [InlineData("INT")]
    [InlineData("BIGINT UNSIGNED")]
    [InlineData("YEAR")]
    [InlineData("DECIMAL(38,10)")]
    [InlineData("DOUBLE")]
    [InlineData("FLOAT")]
    [InlineData("TINYINT(1)")]
    [InlineData("BIT(1)")]
    [InlineData("CHAR(5)")]
    [InlineData("TEXT")]
    [InlineData("ENUM('a','b')")]
    [InlineData("SET('a','b')")]
    [InlineData("UUID")]
    [InlineData("DATE")]
    [InlineData("DATETIME")]
    [InlineData("TIMESTAMP NULL")]
    [InlineData("TIME")]
    [InlineData("JSON")]
    [InlineData("BLOB")]
    public Task NullIsNull(string type) => AssertValue(Maria, type, "NULL", "null");
}
