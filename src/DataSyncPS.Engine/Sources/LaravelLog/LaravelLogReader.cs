using DataSyncPS.Engine.Export;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// Reads a Laravel log source (a file or a folder) from a stored <see cref="LogPosition"/>: every
/// complete entry after it, file by file, each with the position just after it. Corrupt text is
/// reported through <see cref="ISyncObserver.ItemError"/> and skipped; the unterminated last entry of
/// the file being written is left for the next run.
/// </summary>
public sealed class LaravelLogReader : IDisposable
{
    private readonly LogFileSet _files;
    private readonly TimeZoneInfo _zone;
    private readonly ISyncObserver _observer;
    private readonly LogEntrySplitter _splitter;
    private LogFileMark[] _marks;

    private LaravelLogReader(LogFileSet files, TimeZoneInfo zone, ISyncObserver observer, LogEntrySplitter splitter)
    {
        _files = files;
        _zone = zone;
        _observer = observer;
        _splitter = splitter;
        _marks = files.Files.Select(f => new LogFileMark(f.Name, f.Identity, f.StartOffset, f.StartLine)).ToArray();
    }

    public static LaravelLogReader Open(string path, TimeZoneInfo zone, LogPosition known, ISyncObserver observer, LogEntrySplitter? splitter = null)
    {
        var files = LogFileSet.Open(path, known, observer.Verbose);
        return new LaravelLogReader(files, zone, observer, splitter ?? new LogEntrySplitter());
    }

    public IReadOnlyList<LogFileToRead> Files => _files.Files;

    /// <summary>Where the next run starts: after the entries read, and after corrupt text skipped.</summary>
    public LogPosition Position => Snapshot(_marks);

    public IEnumerable<(LaravelLogEntry Entry, LogResumePoint After)> Entries(CancellationToken ct)
    {
        for (var i = 0; i < _files.Files.Count; i++)
        {
            var file = _files.Files[i];
            var marks = _marks; // shared by this file's rows; replaced, never changed, once the file is done
            long offset = file.StartOffset, line = file.StartLine;
            if (offset > 0) _observer.Verbose($"Continuing '{file.Name}' at byte {offset:N0} (line {line:N0}).");
            foreach (var segment in _splitter.Read(file.Stream, offset, line, ct))
            {
                if (!segment.Terminated && file.IsActive)
                {
                    _observer.Verbose($"The last entry of '{file.Name}' (line {segment.Line:N0}) has no line end yet; it is read next run.");
                    break;
                }
                if (LogEntryParser.TryParse(segment, file.Name, _zone, out var entry, out var problem))
                    yield return (entry!, new LogResumePoint(marks, i, segment.EndOffset, segment.NextLine));
                else
                    _observer.ItemError(new SyncException(SyncErrorKind.LogEntryCorrupt, $"{file.FullPath}:{segment.Line}: {problem}", target: file.FullPath));
                offset = segment.EndOffset;
                line = segment.NextLine;
            }
            var next = (LogFileMark[])marks.Clone();
            next[i] = next[i] with { Offset = offset, Line = line };
            _marks = next;
        }
    }

    /// <summary>The position made of <paramref name="marks"/>, without files nothing was read from.</summary>
    internal static LogPosition Snapshot(IEnumerable<LogFileMark> marks) => new(marks.Where(m => m.Offset > 0).ToArray());

    public void Dispose() => _files.Dispose();
}
