using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>Text is written as UTF-8 and escaped only where JSON requires it (DESIGN contract 3).</summary>
public sealed class JsonEscapingTests
{
    [Theory]
    [InlineData("São João nº 5 — ação", "\"São João nº 5 — ação\"")]
    [InlineData("emoji 😀 and 𝄞", "\"emoji 😀 and 𝄞\"")]
    [InlineData("<b>&'</b>", "\"<b>&'</b>\"")]
    [InlineData("line\u2028separator", "\"line\u2028separator\"")]
    [InlineData("quote \" backslash \\", "\"quote \\\" backslash \\\\\"")]
    [InlineData("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"")]
    [InlineData("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001F\"")]
    [InlineData("del \u007f", "\"del \u007f\"")]
    public void StringsAreEscapedOnlyWhereJsonRequires(string text, string json)
    {
        Assert.Equal(json, Write(w => w.WriteStringValue(text)));
        Assert.Equal(json, Write(w => w.WriteStringValue(Encoding.UTF8.GetBytes(text))));
        Assert.Equal(text, JsonDocument.Parse(json).RootElement.GetString());
    }

    [Fact]
    public void ALoneSurrogateBecomesTheReplacementCharacterNotInvalidUtf8()
    {
        var json = Write(w => w.WriteStringValue("a\uD83Db"));
        Assert.True(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(json)) == json);
        Assert.DoesNotContain('\uD83D', JsonDocument.Parse(json).RootElement.GetString()!);
    }

    [Fact]
    public void PropertyNamesAreWrittenTheSameWay()
    {
        var name = JsonEncodedText.Encode("descrição \"x\" 😀", JsonValueWriter.WriterOptions.Encoder);
        Assert.Equal("{\"descrição \\\"x\\\" 😀\":1}", Write(w => { w.WriteStartObject(); w.WriteNumber(name, 1); w.WriteEndObject(); }));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonValueWriter.WriterOptions)) write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
