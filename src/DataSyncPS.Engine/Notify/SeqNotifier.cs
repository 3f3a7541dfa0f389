using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Notify;

/// <summary>Notifications as structured events in Seq: one CLEF event per item (a backup, a failure),
/// its fields as properties an admin can query (Database, Size, ErrorId...; Bytes and DurationMs as
/// numbers), at Error level when it failed. Sent in one request through <see cref="SeqClefSender"/> (Content-Length, key in a header).</summary>
public static class SeqNotifier
{
    public static IReadOnlyList<SyncLogEvent> Events(IEnumerable<NotificationItem> items, string? source, DateTimeOffset now) =>
        items.Select(item => new SyncLogEvent
        {
            Timestamp = now,
            Level = item.Failed ? SyncLogLevel.Error : SyncLogLevel.Information,
            Message = item.Failed ? $"{item.Title} failed: {Field(item, "Error")}" : item.Title,
            Cmdlet = source,
            Bytes = item.Bytes,
            Duration = item.Duration,
            // The short id, as the log events carry it (the mail shows the fully qualified one).
            ErrorId = Field(item, "ErrorId")?.Split(',')[0],
            Properties = item.Fields
                .Where(f => f.Key != "ErrorId")
                .GroupBy(f => PropertyName(f.Key))
                .ToDictionary(g => g.Key, g => (object?)g.First().Value),
        }).ToList();

    public static async Task SendAsync(Uri server, string? apiKey, IEnumerable<NotificationItem> items, string? source, DateTimeOffset now, CancellationToken cancel)
    {
        using var sender = new SeqClefSender(server, apiKey, TimeSpan.FromSeconds(10));
        await sender.SendAsync(Events(items, source, now), cancel).ConfigureAwait(false);
    }

    private static string? Field(NotificationItem item, string name) =>
        item.Fields.FirstOrDefault(f => f.Key == name).Value;

    // Seq property names: no spaces or dashes ("SHA-256" → "SHA256").
    private static string PropertyName(string label) => new(label.Where(char.IsLetterOrDigit).ToArray());
}
