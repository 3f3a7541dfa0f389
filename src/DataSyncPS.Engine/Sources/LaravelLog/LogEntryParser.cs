using System.Text.Json;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// Turns one segment into a <see cref="LaravelLogEntry"/>, or says why it cannot. Laravel's line format
/// is Monolog's <c>"[%datetime%] %channel%.%level_name%: %message% %context% %extra%\n"</c> with empty
/// context and extra written as nothing, so the blanks at the end tell what is there:
/// <c>"msg  "</c> (neither), <c>"msg {ctx} "</c>, <c>"msg  {extra}"</c>, <c>"msg {ctx} {extra}"</c>;
/// older Monolog writes <c>"msg [] []"</c>. A trailing value that does not parse stays in the message.
/// </summary>
public static class LogEntryParser
{
    private const string OldStackHeader = "Stack trace:";
    private const string NewStackHeader = "[stacktrace]";

    public static bool TryParse(LogSegment segment, string fileName, TimeZoneInfo zone, out LaravelLogEntry? entry, out string? problem)
    {
        entry = null;
        // An unterminated last line is a line too, though the line count has not moved past it.
        var lines = segment.NextLine - segment.Line + (segment.Terminated ? 0 : 1);
        if (segment.Binary)
        {
            problem = $"{lines} line(s) of binary data (NUL bytes or invalid UTF-8), not log text; skipped";
            return false;
        }
        if (!segment.StartsEntry)
        {
            problem = $"{lines} line(s) of text that belong to no entry (no '[timestamp] env.LEVEL:' header before them)";
            return false;
        }
        if (segment.Oversized)
        {
            problem = $"entry of {segment.Length:N0} bytes is larger than an entry may be; skipped";
            return false;
        }
        var header = LogEntryHeader.Parse(segment.Text, zone, out problem);
        if (header is null) return false;

        var text = segment.Text;
        var start = Math.Min(header.MessageStart, text.Length);
        var cut = text.Length;
        if (cut > start && text[cut - 1] == '\n') cut--;
        if (cut > start && text[cut - 1] == '\r') cut--;

        JsonElement? extra = null, context = null;
        var extraWritten = false;
        if (cut > start && text[cut - 1] == ' ') cut--;
        else if (TryTakeValue(text, start, ref cut, out var value))
        {
            extra = value;
            extraWritten = true;
        }
        if (cut > start && text[cut - 1] == ' ') cut--;
        else if (TryTakeValue(text, start, ref cut, out var value)) context = value;
        else if (extraWritten)
        {
            // "msg {x}" with the trailing blank gone (an editor, a copy): one value is the context.
            context = extra;
            extra = null;
        }

        var message = text[start..cut].TrimEnd();
        string? stack = null;
        if (SplitOldStack(message) is { } split) (message, stack) = split;
        else stack = ExceptionStack(context) ?? StackAfterHeader(message, NewStackHeader);

        entry = new LaravelLogEntry
        {
            Timestamp = header.Timestamp,
            Environment = header.Environment,
            Level = header.Level,
            Message = message,
            Context = context,
            Extra = extra,
            Stack = stack,
            File = fileName,
            Offset = segment.Offset,
            Line = segment.Line,
        };
        return true;
    }

    /// <summary>Takes a JSON object/array ending at <paramref name="cut"/> and preceded by a blank (or the
    /// message start); on success <paramref name="cut"/> moves before it and its blank.</summary>
    private static bool TryTakeValue(string text, int min, ref int cut, out JsonElement value)
    {
        value = default;
        var s = InlineBreakJson.FindStart(text, min, cut);
        if (s < 0 || (s > min && text[s - 1] != ' ')) return false;
        if (!InlineBreakJson.TryParse(text.AsSpan(s, cut - s), out value)) return false;
        cut = s > min ? s - 1 : s;
        return true;
    }

    /// <summary>Old format: the message is followed by a "Stack trace:" line and #N frames (and, for
    /// chained exceptions, "Next exception ..." blocks with their own traces).</summary>
    private static (string Message, string Stack)? SplitOldStack(string message)
    {
        var at = LineStartingWith(message, OldStackHeader);
        if (at < 0) return null;
        return (message[..at].TrimEnd(), AfterLine(message, at).TrimEnd());
    }

    /// <summary>New format: the context's exception string holds "[stacktrace]" and the frames.</summary>
    private static string? ExceptionStack(JsonElement? context)
    {
        if (context is not { ValueKind: JsonValueKind.Object } c) return null;
        if (!c.TryGetProperty("exception", out var ex) || ex.ValueKind != JsonValueKind.String) return null;
        return StackAfterHeader(ex.GetString()!, NewStackHeader);
    }

    private static string? StackAfterHeader(string text, string header)
    {
        var at = LineStartingWith(text, header);
        return at < 0 ? null : AfterLine(text, at).TrimEnd();
    }

    /// <summary>Index of a line that is exactly <paramref name="header"/> (CR allowed before its LF).</summary>
    private static int LineStartingWith(string text, string header)
    {
        for (var i = text.IndexOf(header, StringComparison.Ordinal); i >= 0; i = text.IndexOf(header, i + 1, StringComparison.Ordinal))
        {
            var end = i + header.Length;
            var atLineStart = i == 0 || text[i - 1] == '\n';
            var atLineEnd = end == text.Length || text[end] == '\n' || (text[end] == '\r' && (end + 1 == text.Length || text[end + 1] == '\n'));
            if (atLineStart && atLineEnd) return i;
        }
        return -1;
    }

    private static string AfterLine(string text, int lineStart)
    {
        var nl = text.IndexOf('\n', lineStart);
        return nl < 0 ? "" : text[(nl + 1)..];
    }
}
