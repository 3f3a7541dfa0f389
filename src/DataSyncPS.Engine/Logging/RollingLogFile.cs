using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Logging;

/// <summary>
/// Daily log files in a folder: DataSyncPS-yyyy-MM-dd.log (Text) or .clef (CLEF), by the local date of
/// each event. Files are opened, appended and closed on every write, shared, so Notepad or a second
/// job never finds one locked. When a day's first events arrive, files older than RetainDays days
/// (today counts as one) are deleted; other files in the folder are never touched.
/// </summary>
public sealed partial class RollingLogFile
{
    private readonly TimeProvider _clock;
    private DateOnly? _prunedFor;

    public RollingLogFile(string folder, SyncLogFormat format, int retainDays, TimeProvider? clock = null)
    {
        if (retainDays < 1) throw new ArgumentOutOfRangeException(nameof(retainDays), "Keep at least one day.");
        Folder = folder;
        Format = format;
        RetainDays = retainDays;
        _clock = clock ?? TimeProvider.System;
    }

    public string Folder { get; }
    public SyncLogFormat Format { get; }
    public int RetainDays { get; }

    public static string FileFor(string folder, SyncLogFormat format, DateOnly day) =>
        System.IO.Path.Combine(folder, $"DataSyncPS-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(format == SyncLogFormat.Clef ? ".clef" : ".log")}");

    public string FileFor(DateOnly day) => FileFor(Folder, Format, day);

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _clock.LocalTimeZone).DateTime);

    /// <summary>Appends the events, each to the file of its own local day.</summary>
    public void Append(IReadOnlyList<SyncLogEvent> events)
    {
        if (events.Count == 0) return;
        var today = Today;
        if (_prunedFor != today)
        {
            Directory.CreateDirectory(Folder);
            Prune(today);
            _prunedFor = today;
        }
        foreach (var day in events.GroupBy(e => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.Timestamp, _clock.LocalTimeZone).DateTime)))
        {
            var bytes = Render(day);
            using var file = new FileStream(FileFor(day.Key), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.Write(bytes);
        }
    }

    /// <summary>Deletes this module's daily files (either format) dated before the kept days.</summary>
    public IReadOnlyList<string> Prune(DateOnly today)
    {
        var oldestKept = today.AddDays(-(RetainDays - 1));
        var deleted = new List<string>();
        if (!Directory.Exists(Folder)) return deleted;
        foreach (var path in Directory.EnumerateFiles(Folder, "DataSyncPS-*"))
        {
            var m = DailyName().Match(System.IO.Path.GetFileName(path));
            if (!m.Success || !DateOnly.TryParseExact(m.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) continue;
            if (day >= oldestKept) continue;
            try
            {
                File.Delete(path);
                deleted.Add(path);
            }
            catch (IOException) { } // open elsewhere on Windows: next day's prune takes it
            catch (UnauthorizedAccessException) { }
        }
        return deleted;
    }

    private byte[] Render(IEnumerable<SyncLogEvent> events)
    {
        using var buffer = new MemoryStream();
        if (Format == SyncLogFormat.Clef)
        {
            foreach (var e in events) ClefLine.Write(e, buffer);
        }
        else
        {
            var sb = new StringBuilder();
            foreach (var e in events) sb.Append(TextLine.Format(e, _clock.LocalTimeZone)).Append(Environment.NewLine);
            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            buffer.Write(bytes);
        }
        return buffer.ToArray();
    }

    [GeneratedRegex(@"^DataSyncPS-(\d{4}-\d{2}-\d{2})\.(log|clef)$")]
    private static partial Regex DailyName();
}
