namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// The position just after one exported entry: the marks of every file as they stand when its file is
/// being read, with that file's mark moved to the end of the entry. It is the tag a row carries to its
/// batch's commit, so it is made per row and stays cheap (the marks array is shared by the rows of a
/// file and never changed); <see cref="ToPosition"/> runs only when a batch commits.
/// </summary>
public sealed class LogResumePoint
{
    private readonly LogFileMark[] _marks;
    private readonly int _index;

    public LogResumePoint(LogFileMark[] marks, int index, long offset, long line)
    {
        _marks = marks;
        _index = index;
        Offset = offset;
        Line = line;
    }

    public long Offset { get; }
    public long Line { get; }
    public string File => _marks[_index].Name;

    public LogPosition ToPosition()
    {
        var files = (LogFileMark[])_marks.Clone();
        files[_index] = files[_index] with { Offset = Offset, Line = Line };
        return LaravelLogReader.Snapshot(files);
    }

    public override string ToString() => $"{File}@{Offset}";
}
