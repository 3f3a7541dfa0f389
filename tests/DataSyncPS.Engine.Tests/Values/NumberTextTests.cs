using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>Exact decimal text goes into the file as a JSON number when it is one, else as a string
/// (NaN, Infinity), never as invalid JSON.</summary>
public sealed class NumberTextTests
{
    [Theory]
    [InlineData("10.50", "10.50")]
    [InlineData("-0.01", "-0.01")]
    [InlineData("0", "0")]
    [InlineData("12345678901234567890.0123456789", "12345678901234567890.0123456789")]
    [InlineData("1E+300", "1E+300")]
    [InlineData("2.5e-7", "2.5e-7")]
    [InlineData("NaN", "\"NaN\"")]
    [InlineData("-Infinity", "\"-Infinity\"")]
    [InlineData("01", "\"01\"")]
    [InlineData(".5", "\".5\"")]
    [InlineData("1.", "\"1.\"")]
    [InlineData("1e", "\"1e\"")]
    [InlineData("", "\"\"")]
    public void ExactTextIsANumberOnlyWhenJsonSaysSo(string text, string json)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonValueWriter.WriterOptions)) JsonValueWriter.WriteNumberText(w, text);
        var written = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Equal(json, written);
        JsonDocument.Parse(written).Dispose();
    }
}
