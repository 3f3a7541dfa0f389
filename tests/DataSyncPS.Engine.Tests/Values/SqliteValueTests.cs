using System.Text;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Tests.Values.ValueRoundTrip;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>
/// SQLite values carry their own storage class (TEXT, INTEGER, REAL, BLOB, NULL) whatever the declared
/// type says; each comes out as string, number, number, base64, null.
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

    // The declared type is only an affinity: a value keeps the class it was stored with.
    [Theory]
    [InlineData("", "'text in an untyped column'", "\"text in an untyped column\"")]
    [InlineData("", "7", "7")]
    [InlineData("TEXT", "7", "\"7\"")]
    [InlineData("INTEGER", "'12'", "12")]
    [InlineData("BOOLEAN", "1", "1")]
    [InlineData("DATETIME", "'2024-01-02 03:04:05'", "\"2024-01-02 03:04:05\"")]
    public Task DeclaredTypesAreOnlyAffinities(string type, string literal, string json) => AssertValue(Lite, type, literal, json);

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
    public Task NullIsNull(string type) => AssertValue(Lite, type, "NULL", "null");
}
