using System.Text;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Tests.Values.ValueRoundTrip;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>PostgreSQL 15 types as they must appear in JSONL (DESIGN contract 3): one row per type.</summary>
public sealed class PostgreSqlValueTests
{
    private const ProviderKind Pg = ProviderKind.PostgreSql;

    [Theory]
    [InlineData("smallint", "-32768", "-32768")]
    [InlineData("integer", "2147483647", "2147483647")]
    [InlineData("bigint", "-9223372036854775808", "-9223372036854775808")]
    [InlineData("bigint", "9223372036854775807", "9223372036854775807")]
    public Task Integers(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("numeric(14,2)", "10.50", "10.50")]
    [InlineData("numeric(14,2)", "-0.01", "-0.01")]
    [InlineData("numeric(10,0)", "12345", "12345")]
    [InlineData("numeric(38,10)", "12345678901234567890.0123456789", "12345678901234567890.0123456789")]
    [InlineData("numeric(38,10)", "-12345678901234567890.0123456789", "-12345678901234567890.0123456789")]
    [InlineData("numeric", "0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("numeric", "0.12345678901234567890123456789012", "0.12345678901234567890123456789012")]
    [InlineData("numeric", "-0.000000000000000000000000000000123", "-0.000000000000000000000000000000123")]
    [InlineData("numeric", "1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890")]
    [InlineData("numeric", "100000000000000000000000000000.000", "100000000000000000000000000000.000")]
    [InlineData("numeric", "'NaN'", "\"NaN\"")]
    [InlineData("numeric", "'Infinity'", "\"Infinity\"")]
    [InlineData("numeric", "'-Infinity'", "\"-Infinity\"")]
    [InlineData("money", "12.34", "12.34")]
    public Task Decimals(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("double precision", "0.1", "0.1")]
    [InlineData("double precision", "-1.5e300", "-1.5E+300")]
    [InlineData("double precision", "'NaN'", "\"NaN\"")]
    [InlineData("double precision", "'Infinity'", "\"Infinity\"")]
    [InlineData("double precision", "'-Infinity'", "\"-Infinity\"")]
    [InlineData("real", "0.1", "0.1")]
    [InlineData("real", "1.5", "1.5")]
    [InlineData("real", "3.4028235e38", "3.4028235E+38")]
    [InlineData("real", "'NaN'", "\"NaN\"")]
    public Task Floats(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("boolean", "true", "true")]
    [InlineData("boolean", "false", "false")]
    public Task Booleans(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("text", "'plain'", "\"plain\"")]
    [InlineData("varchar(10)", "'abc'", "\"abc\"")]
    [InlineData("char(5)", "'ab'", "\"ab   \"")]
    [InlineData("text", "E'quote \" backslash \\\\ newline \\n tab \\t'", "\"quote \\\" backslash \\\\ newline \\n tab \\t\"")]
    [InlineData("text", "''", "\"\"")]
    [InlineData("uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"")]
    [InlineData("inet", "'192.168.0.1'", "\"192.168.0.1\"")]
    public Task Text(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Fact]
    public async Task NonAsciiTextIsWrittenAsUtf8NotEscaped()
    {
        const string text = "São João nº 5 — ação 😀";
        var exported = await ExportValue(Pg, "text", $"'{text}'");
        Assert.Equal("\"" + text + "\"", exported.RawValue);
        Assert.True(exported.Jsonl.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0, "the file must hold the text's own UTF-8 bytes, not \\u escapes");
    }

    [Theory]
    [InlineData("date", "'2024-02-29'", "\"2024-02-29\"")]
    [InlineData("date", "'0001-01-01'", "\"0001-01-01\"")]
    [InlineData("time", "'13:45:30'", "\"13:45:30\"")]
    [InlineData("time", "'13:45:30.123456'", "\"13:45:30.123456\"")]
    [InlineData("time", "'00:00:00'", "\"00:00:00\"")]
    [InlineData("time", "'24:00:00'", "\"24:00:00\"")]
    [InlineData("time with time zone", "'13:45:30+02'", "\"13:45:30+02:00\"")]
    [InlineData("timetz", "'13:45:30.25-03:30'", "\"13:45:30.25-03:30\"")]
    [InlineData("time(3) with time zone", "'13:45:30.5-03:30'", "\"13:45:30.5-03:30\"")]
    [InlineData("timestamp", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("timestamp", "'2024-01-02 03:04:05.123456'", "\"2024-01-02T03:04:05.123456+00:00\"")]
    [InlineData("timestamp(3)", "'2024-01-02 03:04:05.123'", "\"2024-01-02T03:04:05.123+00:00\"")]
    [InlineData("timestamptz", "'2024-01-02 03:04:05+02'", "\"2024-01-02T01:04:05+00:00\"")]
    [InlineData("timestamptz(3)", "'2024-01-02 03:04:05.5-03'", "\"2024-01-02T06:04:05.5+00:00\"")]
    [InlineData("timestamp", "'0001-01-01 00:00:00'", "\"0001-01-01T00:00:00+00:00\"")]
    // Npgsql reads infinity as DateTime.MaxValue/MinValue; a valid_until = 'infinity' must not become a date.
    [InlineData("timestamp", "'infinity'", "\"infinity\"")]
    [InlineData("timestamp", "'-infinity'", "\"-infinity\"")]
    [InlineData("timestamptz", "'infinity'", "\"infinity\"")]
    [InlineData("timestamptz", "'-infinity'", "\"-infinity\"")]
    [InlineData("date", "'infinity'", "\"infinity\"")]
    [InlineData("date", "'-infinity'", "\"-infinity\"")]
    public Task DatesAndTimes(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("timestamp", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05-03:00\"")]
    // Brazil kept daylight saving time until 2019: the offset is the one of that instant, not today's.
    [InlineData("timestamp", "'2018-01-15 12:00:00'", "\"2018-01-15T12:00:00-02:00\"")]
    [InlineData("timestamp", "'9999-12-31 23:59:59.999999'", "\"9999-12-31T23:59:59.999999-03:00\"")]
    // An instant stays in UTC whatever the source's zone.
    [InlineData("timestamptz", "'2024-01-02 03:04:05+00'", "\"2024-01-02T03:04:05+00:00\"")]
    // The catalog says "timestamp(3) with time zone": a precision must not turn the instant into a local time.
    [InlineData("timestamptz(3)", "'2024-01-02 03:04:05+00'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("timestamp(0) with time zone", "'2024-01-02 03:04:05+00'", "\"2024-01-02T03:04:05+00:00\"")]
    [InlineData("timestamp(3)", "'2024-01-02 03:04:05.5'", "\"2024-01-02T03:04:05.5-03:00\"")]
    public Task TimestampsInTheSourceTimeZone(string type, string literal, string json) =>
        AssertValue(Pg, type, literal, json, TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo"));

    // ISO 8601 durations, exactly as PostgreSQL prints them under SET intervalstyle = iso_8601.
    [Theory]
    [InlineData("interval", "'1 day 02:03:04'", "\"P1DT2H3M4S\"")]
    [InlineData("interval", "'1 year 2 months 3 days 04:05:06.5'", "\"P1Y2M3DT4H5M6.5S\"")]
    [InlineData("interval", "'3 months'", "\"P3M\"")]
    [InlineData("interval", "'-1 year -2 months'", "\"P-1Y-2M\"")]
    [InlineData("interval", "'-1 day -00:00:01'", "\"P-1DT-1S\"")]
    [InlineData("interval", "'1 mon -1 day +1 second'", "\"P1M-1DT1S\"")]
    [InlineData("interval", "'-1:30'", "\"PT-1H-30M\"")]
    [InlineData("interval", "'-00:00:00.5'", "\"PT-0.5S\"")]
    [InlineData("interval", "'00:00:00.000001'", "\"PT0.000001S\"")]
    [InlineData("interval", "'36:00:00'", "\"PT36H\"")]
    [InlineData("interval", "'0'", "\"PT0S\"")]
    public Task Intervals(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("json", "'{\"a\": 1, \"b\": [true, null]}'", "{\"a\": 1, \"b\": [true, null]}")]
    [InlineData("jsonb", "'{\"b\":2,\"a\":\"x\"}'", "{\"a\": \"x\", \"b\": 2}")]
    [InlineData("jsonb", "'\"just a string\"'", "\"just a string\"")]
    [InlineData("jsonb", "'null'", "null")]
    [InlineData("json", "'[1.10, 2]'", "[1.10, 2]")]
    [InlineData("jsonb", "'{\"name\": \"ação 😀\"}'", "{\"name\": \"ação 😀\"}")]
    public Task Json(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("bytea", "'\\x00ff10'", "\"AP8Q\"")]
    [InlineData("bytea", "''", "\"\"")]
    public Task Binary(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("integer[]", "'{1,2,3}'", "[1,2,3]")]
    [InlineData("integer[]", "'{}'", "[]")]
    [InlineData("integer[]", "'{1,NULL,3}'", "[1,null,3]")]
    [InlineData("integer[]", "'{{1,2},{3,4}}'", "[[1,2],[3,4]]")]
    [InlineData("integer[]", "'{{{1},{2}}}'", "[[[1],[2]]]")]
    [InlineData("text[]", "'{{a,b},{c,NULL}}'", "[[\"a\",\"b\"],[\"c\",null]]")]
    [InlineData("text[]", "'{\"a\",\"b c\",NULL}'", "[\"a\",\"b c\",null]")]
    [InlineData("numeric[]", "'{1.50,2}'", "[1.50,2]")]
    [InlineData("date[]", "'{2024-02-29}'", "[\"2024-02-29\"]")]
    [InlineData("timestamptz[]", "'{\"2024-01-02 03:04:05+02\"}'", "[\"2024-01-02T01:04:05+00:00\"]")]
    [InlineData("boolean[]", "'{t,f}'", "[true,false]")]
    public Task Arrays(string type, string literal, string json) => AssertValue(Pg, type, literal, json);

    [Theory]
    [InlineData("smallint")]
    [InlineData("integer")]
    [InlineData("bigint")]
    [InlineData("numeric(38,10)")]
    [InlineData("money")]
    [InlineData("double precision")]
    [InlineData("real")]
    [InlineData("boolean")]
    [InlineData("text")]
    [InlineData("char(5)")]
    [InlineData("uuid")]
    [InlineData("date")]
    [InlineData("time")]
    [InlineData("timetz")]
    [InlineData("timestamp")]
    [InlineData("timestamptz")]
    [InlineData("interval")]
    [InlineData("json")]
    [InlineData("jsonb")]
    [InlineData("bytea")]
    [InlineData("integer[]")]
    [InlineData("inet")]
    public Task NullIsNull(string type) => AssertValue(Pg, type, "NULL", "null");
}
