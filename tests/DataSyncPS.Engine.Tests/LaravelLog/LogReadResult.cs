using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Sources.LaravelLog;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>Everything one pass of <see cref="LaravelLogReader"/> over a source gave.</summary>
public sealed record LogReadResult(IReadOnlyList<LaravelLogEntry> Entries, IReadOnlyList<SyncException> Errors,
    IReadOnlyList<string> Notes, LogPosition Position, IReadOnlyList<LogResumePoint> After)
{
    public static LogReadResult Of(string path, LogPosition? from = null, TimeZoneInfo? zone = null, LogEntrySplitter? splitter = null)
    {
        var observer = new RecordingObserver();
        var entries = new List<LaravelLogEntry>();
        var after = new List<LogResumePoint>();
        using var reader = LaravelLogReader.Open(path, zone ?? TimeZoneInfo.Utc, from ?? LogPosition.Empty, observer, splitter);
        foreach (var (entry, point) in reader.Entries(TestContext.Current.CancellationToken))
        {
            entries.Add(entry);
            after.Add(point);
        }
        return new LogReadResult(entries, observer.Errors.ToList(), observer.VerboseMessages.ToList(), reader.Position, after);
    }

    /// <summary>Writes <paramref name="text"/> as laravel.log in <paramref name="dir"/> and reads it.</summary>
    public static LogReadResult OfText(TempDirectory dir, string text, TimeZoneInfo? zone = null, LogEntrySplitter? splitter = null)
    {
        var path = dir.Combine("laravel.log");
        LogText.Write(path, text);
        return Of(path, zone: zone, splitter: splitter);
    }
}
