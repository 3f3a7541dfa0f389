using System.Globalization;

namespace DataSyncPS.Engine.Notify;

/// <summary>One thing a notification reports: a backup taken, a failure, or any other result, as a
/// title and labelled fields.</summary>
public sealed record NotificationItem(bool Failed, string Title, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>Size and duration as numbers, for events that are queried (Seq), beside their text in <see cref="Fields"/>.</summary>
    public long? Bytes { get; init; }
    public TimeSpan? Duration { get; init; }

    /// <summary>A backup, with what an admin reads first: where, how big, how long, verified how; the
    /// time in the machine's zone with the zone named.</summary>
    public static NotificationItem From(DbBackupResult b)
    {
        var local = TimeZoneInfo.ConvertTime(b.StartedAt, TimeZoneInfo.Local);
        return new NotificationItem(false, $"Backup of {b.Server}/{b.Database} ({b.Engine})",
        [
            new("Server", b.Server + (b.Port is null ? "" : ":" + b.Port.Value.ToString(CultureInfo.InvariantCulture))),
            new("Database", b.Database),
            new("Started", $"{local:yyyy-MM-dd HH:mm:ss} {TimeZoneInfo.Local.Id} (UTC{local:zzz})"),
            new("Size", MailText.Size(b.Bytes)),
            new("Duration", MailText.Duration(b.Duration)),
            new("Destination", b.Destination),
            new("SHA-256", b.Sha256),
            new("Verified", b.RestoredRowCounts is { } counts
                ? $"{b.Verified} ({counts.Count:N0} tables, {counts.Values.Sum():N0} rows restored)"
                : b.Verified.ToString()),
            new("Tool", b.ToolVersion ?? ""),
        ]) { Bytes = b.Bytes, Duration = b.Duration };
    }

    public static NotificationItem Failure(string title, string message, string? target, string? errorId) => new(true, title,
    [
        new("Error", message),
        .. target is null ? Array.Empty<KeyValuePair<string, string>>() : [new("Target", target)],
        .. errorId is null ? Array.Empty<KeyValuePair<string, string>>() : [new("ErrorId", errorId)],
    ]);
}
