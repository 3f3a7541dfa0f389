using System.Text;
using System.Text.Json;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// JSON as Laravel's Monolog LineFormatter writes it with inline line breaks allowed: it JSON-encodes
/// the context, then replaces every two-character <c>\r</c> and <c>\n</c> escape with a real CR and LF,
/// so a stack trace inside a context spans lines. That text is not JSON (raw control characters inside
/// strings; a <c>\\n</c> even becomes a backslash and a raw LF). Putting <c>\r</c>/<c>\n</c> back for
/// every raw CR/LF inside a string is the exact inverse of that replacement, so the value parses as
/// the JSON it was.
/// </summary>
public static class InlineBreakJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    /// <summary>Parses <paramref name="text"/> as a JSON object or array; false when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out JsonElement value)
    {
        value = default;
        if (text.IsEmpty || (text[0] != '{' && text[0] != '[')) return false;
        var json = HasControlCharacters(text) ? Restore(text) : text.ToString();
        try
        {
            using var doc = JsonDocument.Parse(json, Options);
            value = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Finds where a JSON object or array that ends at <paramref name="end"/> (exclusive)
    /// starts, scanning backwards no further than <paramref name="min"/>; -1 when the brackets do not
    /// balance. A quote opens/closes a string unless an odd number of backslashes precedes it, which is
    /// how JSON escapes it.</summary>
    public static int FindStart(string text, int min, int end)
    {
        if (end <= min || (text[end - 1] != '}' && text[end - 1] != ']')) return -1;
        var depth = 0;
        var inString = false;
        for (var i = end - 1; i >= min; i--)
        {
            var c = text[i];
            if (c == '"')
            {
                if (!inString || !IsEscaped(text, i)) inString = !inString;
                continue;
            }
            if (inString) continue;
            if (c is '}' or ']') depth++;
            else if (c is '{' or '[')
            {
                depth--;
                if (depth == 0) return i;
            }
        }
        return -1;
    }

    private static bool IsEscaped(string text, int quote)
    {
        var n = 0;
        for (var i = quote - 1; i >= 0 && text[i] == '\\'; i--) n++;
        return n % 2 == 1;
    }

    private static bool HasControlCharacters(ReadOnlySpan<char> text)
    {
        foreach (var c in text) if (c < ' ') return true;
        return false;
    }

    private static string Restore(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length + 64);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!inString)
            {
                if (c == '"') inString = true;
                sb.Append(c);
                continue;
            }
            switch (c)
            {
                case '\\' when i + 1 < text.Length && text[i + 1] >= ' ':
                    sb.Append(c).Append(text[++i]); // an ordinary escape pair
                    break;
                case '"':
                    inString = false;
                    sb.Append(c);
                    break;
                case '\r': sb.Append("\\r"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
