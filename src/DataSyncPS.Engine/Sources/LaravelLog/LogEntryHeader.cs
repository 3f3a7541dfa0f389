using System.Globalization;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// The first line of a Monolog/Laravel entry: <c>[timestamp] env.LEVEL: message...</c>. Two questions are
/// kept apart on purpose: "does this line start an entry?" is answered loosely (anything shaped like a
/// header, so a damaged header is reported instead of being glued onto the entry before it), and "is it
/// a valid header?" strictly (the timestamp must be a real date and time).
/// </summary>
public sealed partial class LogEntryHeader
{
    private LogEntryHeader(DateTimeOffset timestamp, string environment, string level, int messageStart)
    {
        Timestamp = timestamp;
        Environment = environment;
        Level = level;
        MessageStart = messageStart;
    }

    public DateTimeOffset Timestamp { get; }
    public string Environment { get; }
    public string Level { get; }
    /// <summary>Index in the entry text where the message begins (just after <c>"LEVEL: "</c>).</summary>
    public int MessageStart { get; }

    /// <summary>Bytes of a line enough to decide whether it starts an entry.</summary>
    public const int ProbeBytes = 256;

    // "[2024-..." at a line start is a timestamp, whatever follows; "[x] env.LEVEL:" is a header even
    // when x is not a timestamp (it then fails Parse and is reported).
    [GeneratedRegex(@"^\[\d{4}-|^\[[^\]\r\n]{1,64}\] [^\s.\[\]]+\.[A-Z]+:", RegexOptions.CultureInvariant)]
    private static partial Regex EntryStartPattern();

    // What may be left of a header when a writer was cut off inside it: "[", "[20", "[2024".
    [GeneratedRegex(@"^\[\d{0,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex CutHeaderPattern();

    [GeneratedRegex(@"^\[(?<ts>[^\]\r\n]{1,64})\] (?<env>[^\s.\[\]]+)\.(?<level>[A-Z]+):(?: |(?=\r?\n)|$)", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^(?<d>\d{4}-\d{2}-\d{2})[ T](?<t>\d{2}:\d{2}:\d{2})(?:\.(?<f>\d{1,9}))?\s?(?<z>Z|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    /// <summary>Whether a line (or the first <see cref="ProbeBytes"/> of it) starts a new entry.
    /// <paramref name="cutOff"/> says the line is the file's last and has no newline yet.</summary>
    public static bool StartsEntry(string lineStart, bool cutOff) =>
        lineStart.Length > 0 && lineStart[0] == '['
        && (EntryStartPattern().IsMatch(lineStart) || (cutOff && CutHeaderPattern().IsMatch(lineStart)));

    /// <summary>Parses the header at the start of an entry's text; null with the reason when it is not valid.</summary>
    public static LogEntryHeader? Parse(string entryText, TimeZoneInfo zone, out string? problem)
    {
        var m = HeaderPattern().Match(entryText);
        if (!m.Success)
        {
            problem = $"malformed entry header '{FirstLine(entryText)}'";
            return null;
        }
        var ts = m.Groups["ts"].Value;
        if (!TryParseTimestamp(ts, zone, out var timestamp))
        {
            problem = $"timestamp '{ts}' does not parse";
            return null;
        }
        problem = null;
        return new LogEntryHeader(timestamp, m.Groups["env"].Value, m.Groups["level"].Value, m.Index + m.Length);
    }

    /// <summary>Reads <c>yyyy-MM-dd HH:mm:ss</c>, with an optional <c>T</c>, fraction (up to 9 digits,
    /// kept to the 100 ns tick) and offset. Without an offset the time is in <paramref name="zone"/>.</summary>
    public static bool TryParseTimestamp(string text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        var m = TimestampPattern().Match(text);
        if (!m.Success) return false;
        if (!DateTime.TryParseExact(m.Groups["d"].Value + " " + m.Groups["t"].Value, "yyyy-MM-dd HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        if (m.Groups["f"].Success)
        {
            var digits = m.Groups["f"].Value.PadRight(7, '0')[..7];
            local = local.AddTicks(long.Parse(digits, CultureInfo.InvariantCulture));
        }
        TimeSpan offset;
        if (!m.Groups["z"].Success) offset = zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        else if (!TryParseOffset(m.Groups["z"].Value, out offset)) return false;
        try
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
            return true;
        }
        catch (ArgumentException)
        {
            return false; // offset out of range, or the result falls outside DateTimeOffset's range
        }
    }

    private static bool TryParseOffset(string z, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (z == "Z") return true;
        var digits = z[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
        if (hours > 14 || minutes > 59) return false;
        offset = new TimeSpan(hours, minutes, 0);
        if (z[0] == '-') offset = -offset;
        return true;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? text : text[..end];
        return line.Length > 120 ? line[..120] + "..." : line;
    }
}
