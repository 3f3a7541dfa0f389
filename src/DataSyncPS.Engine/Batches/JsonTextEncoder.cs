using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var k = IndexOfSpecialByte(utf8Text);
        var before = k < 0 ? utf8Text : utf8Text[..k];
        if (Utf8.IsValid(before)) return k;
        // Invalid UTF-8 is encoded (as U+FFFD) from its first bad byte.
        var i = 0;
        while (Rune.DecodeFromUtf8(before[i..], out _, out var n) == OperationStatus.Done) i += n;
        return i;
    }

    /// <summary>The first control character, quote or backslash. Written out rather than through
    /// SearchValues: every string value of an export passes here, and SearchValues' generic searcher is
    /// not precompiled, so in a busy PowerShell process it ran unoptimized for most of an export.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int IndexOfSpecialByte(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated && text.Length >= Vector128<byte>.Count)
        {
            ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(text);
            var space = Vector128.Create((byte)0x20);
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            for (; i <= text.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var v = Vector128.LoadUnsafe(ref start, (nuint)i);
                var special = Vector128.LessThan(v, space) | Vector128.Equals(v, quote) | Vector128.Equals(v, backslash);
                var mask = special.ExtractMostSignificantBits();
                if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
            }
        }
        for (; i < text.Length; i++)
        {
            var b = text[i];
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\') return i;
        }
        return -1;
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
