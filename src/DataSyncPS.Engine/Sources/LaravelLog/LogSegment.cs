namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// A run of lines of a log file as the splitter cut it: an entry (a header line and every line up to
/// the next header) or, when <see cref="StartsEntry"/> is false, text before the first header.
/// </summary>
public sealed class LogSegment
{
    public required string Text { get; init; }
    /// <summary>Byte offset of the first byte in the file.</summary>
    public required long Offset { get; init; }
    /// <summary>Length in bytes, line terminators included (even past the kept text of an oversized segment).</summary>
    public required long Length { get; init; }
    /// <summary>1-based line number of the first line.</summary>
    public required long Line { get; init; }
    /// <summary>Line number of the line that follows the segment.</summary>
    public required long NextLine { get; init; }
    /// <summary>Whether the segment begins with a header-shaped line.</summary>
    public required bool StartsEntry { get; init; }
    /// <summary>Whether the segment ends with a newline. Only the file's last segment can lack one: a
    /// writer may still be in the middle of it.</summary>
    public required bool Terminated { get; init; }
    /// <summary>Longer than the splitter keeps in memory; <see cref="Text"/> holds only its start.</summary>
    public bool Oversized { get; init; }
    /// <summary>Holds a line of NUL bytes or invalid UTF-8 (binary data, not log text); such a segment never starts an entry.</summary>
    public bool Binary { get; init; }

    public long EndOffset => Offset + Length;
}
