using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Logging;

/// <summary>An event as one plain line an admin reads with less or Notepad and greps:
/// <c>2026-11-29 01:00:03.123 -03:00 [INF] Export-SyncBatch: message | stream=vendas rows=120 batches=3 bytes=45678 duration=1.250s run=...</c>.
/// Local time with its offset; a message of several lines is kept on one.</summary>
public static class TextLine
{
    public static string Format(SyncLogEvent e, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(e.Timestamp, zone);
        var sb = new StringBuilder(160);
        sb.Append(local.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture));
        sb.Append(" [").Append(Abbreviation(e.Level)).Append("] ");
        if (e.Cmdlet is not null) sb.Append(e.Cmdlet).Append(": ");
        sb.Append(OneLine(e.Message));
        var fields = new List<string>();
        if (e.ErrorId is not null) fields.Add("error=" + e.ErrorId);
        if (e.Stream is not null) fields.Add("stream=" + Value(e.Stream));
        if (e.Rows is { } rows) fields.Add("rows=" + rows.ToString(CultureInfo.InvariantCulture));
        if (e.Batches is { } batches) fields.Add("batches=" + batches.ToString(CultureInfo.InvariantCulture));
        if (e.Bytes is { } bytes) fields.Add("bytes=" + bytes.ToString(CultureInfo.InvariantCulture));
        if (e.Duration is { } d) fields.Add("duration=" + d.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s");
        foreach (var (name, value) in e.Properties ?? new Dictionary<string, object?>())
            if (value is not null) fields.Add(name + "=" + Value(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
        if (e.RunId is not null) fields.Add("run=" + e.RunId);
        if (fields.Count > 0) sb.Append(" | ").AppendJoin(' ', fields);
        return sb.ToString();
    }

    public static string Abbreviation(SyncLogLevel level) => level switch
    {
        SyncLogLevel.Verbose => "VRB",
        SyncLogLevel.Information => "INF",
        SyncLogLevel.Warning => "WRN",
        _ => "ERR",
    };

    private static string OneLine(string text) =>
        text.Contains('\n') || text.Contains('\r') ? string.Join(" ⏎ ", text.Split(["\r\n", "\n", "\r"], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())) : text;

    /// <summary>A value with spaces is quoted, so name=value pairs stay splittable.</summary>
    private static string Value(string v)
    {
        v = OneLine(v);
        return v.Length == 0 || v.Any(char.IsWhiteSpace) || v.Contains('"') ? "\"" + v.Replace("\"", "\\\"") + "\"" : v;
    }
}
