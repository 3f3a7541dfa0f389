using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Notify;

/// <summary>The subject and plain-text body of a notification: failures first, then what succeeded.</summary>
public static class MailText
{
    public static (string Subject, string Body) Compose(IReadOnlyList<NotificationItem> items, string? prefix, DateTimeOffset now)
    {
        var failed = items.Count(i => i.Failed);
        var ok = items.Count - failed;
        var host = Environment.MachineName;
        var subject = failed > 0
            ? $"FAILED: {failed} of {items.Count} on {host}" + (ok > 0 ? $" ({ok} OK)" : "")
            : $"OK: {ok} on {host}" + (items.Count == 1 ? " — " + items[0].Title : "");
        if (prefix is not null) subject = prefix.Trim() + " " + subject;
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.Local);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"DataSyncPS on {host}, {local:yyyy-MM-dd HH:mm:ss} {TimeZoneInfo.Local.Id} (UTC{local:zzz})\n");
        body.Append(CultureInfo.InvariantCulture, $"{ok} succeeded, {failed} failed.\n");
        foreach (var item in items.OrderByDescending(i => i.Failed))
        {
            body.Append('\n').Append(item.Failed ? "FAILED: " : "OK: ").Append(item.Title).Append('\n');
            foreach (var (label, value) in item.Fields) body.Append("  ").Append(label).Append(": ").Append(value).Append('\n');
        }
        return (subject, body.ToString());
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes:N0} B",
        < 1 << 20 => $"{bytes / 1024.0:N1} KB",
        < 1L << 30 => $"{bytes / 1048576.0:N1} MB",
        _ => $"{bytes / 1073741824.0:N2} GB",
    };

    public static string Duration(TimeSpan d) => d.TotalHours >= 1 ? d.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : d.ToString(@"m\:ss\.f", CultureInfo.InvariantCulture);
}
