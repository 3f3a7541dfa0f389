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
    public void EverySpecialByteIsFoundAtEveryPositionOfLongAndShortText()
    {
        // Text of every length around the 16-byte blocks the scan reads at once, a special byte at each
        // position, the rest plain ASCII, DEL and UTF-8 of "ç" (0xC3 0xA7, high bytes that are not special).
        byte[] plain = [(byte)'a', 0x7f, 0xC3, 0xA7, (byte)'~', (byte)' '];
        foreach (var special in new byte[] { 0x00, 0x0a, 0x1f, (byte)'"', (byte)'\\' })
            for (var length = 0; length <= 70; length++)
            {
                var text = Enumerable.Range(0, length).Select(i => plain[i % plain.Length]).ToArray();
                Assert.Equal(-1, JsonTextEncoder.IndexOfSpecialByte(text));
                for (var at = 0; at < length; at++)
                {
                    var copy = (byte[])text.Clone();
                    copy[at] = special;
                    copy[^1] = special; // a second one after it must not be the one found
                    Assert.Equal(at, JsonTextEncoder.IndexOfSpecialByte(copy));
                }
            }
    }

    [Fact]
    public void LongTextIsEscapedExactlyAsShortText()
    {
        var text = string.Concat(Enumerable.Repeat("Cliente São João \"nº\" 1\t😀\\ ", 20));
        var json = Write(w => w.WriteStringValue(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, JsonDocument.Parse(json).RootElement.GetString());
        Assert.Equal(Write(w => w.WriteStringValue(text)), json);
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
