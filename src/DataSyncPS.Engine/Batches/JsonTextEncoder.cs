using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Escapes only what JSON requires (quote, backslash, control characters) and writes all other text as
/// UTF-8 (DESIGN contract 3). The built-in UnsafeRelaxedJsonEscaping still escapes every character
/// outside the Basic Multilingual Plane, so an emoji became \uD83D\uDE00 in the batch files.
/// </summary>
internal sealed class JsonTextEncoder : JavaScriptEncoder
{
    public static readonly JsonTextEncoder Instance = new();

    // Surrogates are looked at one by one: a pair is written as it is, a lone half is not valid UTF-8.
    private static readonly SearchValues<char> SpecialChars = SearchValues.Create(
        new string(Enumerable.Range(0, 0x20).Select(i => (char)i).Concat(['"', '\\']).Concat(Enumerable.Range(0xD800, 0x800).Select(i => (char)i)).ToArray()));

    private static readonly SearchValues<byte> SpecialBytes = SearchValues.Create(
        Enumerable.Range(0, 0x20).Select(i => (byte)i).Concat([(byte)'"', (byte)'\\']).ToArray());

    private JsonTextEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter => 6; // \u001F

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar is '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        var i = 0;
        while (true)
        {
            var k = span[i..].IndexOfAny(SpecialChars);
            if (k < 0) return -1;
            i += k;
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) { i += 2; continue; }
            return i;
        }
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var k = utf8Text.IndexOfAny(SpecialBytes);
        var before = k < 0 ? utf8Text : utf8Text[..k];
        if (Utf8.IsValid(before)) return k;
        // Invalid UTF-8 is encoded (as U+FFFD) from its first bad byte.
        var i = 0;
        while (Rune.DecodeFromUtf8(before[i..], out _, out var n) == OperationStatus.Done) i += n;
        return i;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => "\\u" + unicodeScalar.ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (escape.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        escape.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
