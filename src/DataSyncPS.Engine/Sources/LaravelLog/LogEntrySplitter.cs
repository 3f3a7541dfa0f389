using System.Buffers;
using System.Text;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// Cuts a log file into entries while streaming it: a line that starts like a header opens an entry,
/// every other line belongs to the open one (multi-line messages, stack frames, JSON contexts spanning
/// lines). Lines end at LF only; a CR (CRLF or bare) is part of the text. A line after the first that
/// holds NUL bytes or invalid UTF-8 is no part of an entry: it and the lines up to the next header are
/// a <see cref="LogSegment.Binary"/> segment. Memory holds one entry at a time, at most
/// <see cref="MaxEntryBytes"/> of it.
/// </summary>
public sealed class LogEntrySplitter
{
    public const int DefaultMaxEntryBytes = 32 * 1024 * 1024;
    private const int BufferSize = 64 * 1024;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public LogEntrySplitter(int maxEntryBytes = DefaultMaxEntryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntryBytes, LogEntryHeader.ProbeBytes);
        MaxEntryBytes = maxEntryBytes;
    }

    /// <summary>Entries longer than this are cut to their start and flagged <see cref="LogSegment.Oversized"/>.</summary>
    public int MaxEntryBytes { get; }

    /// <summary>Segments from <paramref name="offset"/> (which must be a line start; <paramref name="line"/>
    /// is its 1-based number) to the end of the stream as it is while being read.</summary>
    public IEnumerable<LogSegment> Read(Stream stream, long offset, long line, CancellationToken ct)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        var cursor = new Cursor(stream);
        var text = new ArrayBufferWriter<byte>(4096);
        long fileOffset = offset, lineNo = line;
        if (offset == 0 && cursor.SkipByteOrderMark()) fileOffset = Utf8Bom.Length; // an editor's, not Laravel's
        long segOffset = 0, segLength = 0, segLine = 0;
        bool open = false, segStartsEntry = false, oversized = false, binary = false;

        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var probe = cursor.ProbeLine(LogEntryHeader.ProbeBytes, out var cutOff);
            if (probe.IsEmpty && cursor.AtEnd) break;
            var starts = probe.Length > 0 && probe[0] == (byte)'[' && LogEntryHeader.StartsEntry(Encoding.UTF8.GetString(probe), cutOff);
            if (open && starts)
            {
                yield return Make(terminated: true);
                open = false;
            }
            var firstLine = !open;
            if (!open)
            {
                open = true;
                segOffset = fileOffset;
                segLine = lineNo;
                segLength = 0;
                segStartsEntry = starts;
                oversized = false;
                binary = false;
                text.ResetWrittenCount();
            }

            int lineText = text.WrittenCount;
            long lineOffset = fileOffset, lineStartNo = lineNo;
            var terminated = false;
            while (true)
            {
                var span = cursor.Available;
                var nl = span.IndexOf((byte)'\n');
                var take = nl >= 0 ? nl + 1 : span.Length;
                Keep(span[..take]);
                cursor.Advance(take);
                fileOffset += take;
                segLength += take;
                if (nl >= 0)
                {
                    terminated = true;
                    lineNo++;
                    break;
                }
                if (!cursor.Fill()) break;
            }
            // A line cut at the size limit may end inside a character: only whole lines are judged.
            if (!oversized && IsBinary(text.WrittenSpan[lineText..]))
            {
                if (segStartsEntry && !firstLine)
                {
                    // Binary data after an entry is not its message: the entry ends before it, and the
                    // data starts a segment of its own, reported as corrupt with what follows it.
                    yield return new LogSegment
                    {
                        Text = Encoding.UTF8.GetString(text.WrittenSpan[..lineText]),
                        Offset = segOffset,
                        Length = lineOffset - segOffset,
                        Line = segLine,
                        NextLine = lineStartNo,
                        StartsEntry = true,
                        Terminated = true,
                    };
                    var rest = text.WrittenSpan[lineText..].ToArray();
                    text.ResetWrittenCount();
                    text.Write(rest);
                    segOffset = lineOffset;
                    segLine = lineStartNo;
                    segLength = fileOffset - lineOffset;
                    segStartsEntry = false;
                }
                binary = true;
            }
            if (!terminated)
            {
                yield return Make(terminated: false);
                open = false;
                break;
            }
        }
        if (open) yield return Make(terminated: true);

        void Keep(ReadOnlySpan<byte> bytes)
        {
            var room = MaxEntryBytes - text.WrittenCount;
            if (bytes.Length > room)
            {
                oversized = true;
                bytes = bytes[..Math.Max(0, room)];
            }
            if (!bytes.IsEmpty) text.Write(bytes);
        }

        LogSegment Make(bool terminated) => new()
        {
            Text = Encoding.UTF8.GetString(text.WrittenSpan),
            Offset = segOffset,
            Length = segLength,
            Line = segLine,
            NextLine = lineNo,
            StartsEntry = segStartsEntry,
            Terminated = terminated,
            Oversized = oversized,
            Binary = binary,
        };
    }

    /// <summary>NUL bytes or bytes that are not UTF-8: what Laravel never writes (Monolog writes UTF-8 text).</summary>
    private static bool IsBinary(ReadOnlySpan<byte> line) => line.IndexOf((byte)0) >= 0 || !System.Text.Unicode.Utf8.IsValid(line);

    /// <summary>A read buffer over the stream.</summary>
    private sealed class Cursor(Stream stream)
    {
        private readonly byte[] _buffer = new byte[BufferSize];
        private int _pos;
        private int _len;
        private bool _eof;

        public ReadOnlySpan<byte> Available => _buffer.AsSpan(_pos, _len - _pos);
        public bool AtEnd => _eof && _pos == _len;

        public void Advance(int n) => _pos += n;

        /// <summary>The start of the current line, up to <paramref name="max"/> bytes, without its LF;
        /// <paramref name="cutOff"/> when that is the whole of the file's unterminated last line.</summary>
        public ReadOnlySpan<byte> ProbeLine(int max, out bool cutOff)
        {
            while (!_eof && _len - _pos < max && Available.IndexOf((byte)'\n') < 0) Fill();
            var probe = Available[..Math.Min(Available.Length, max)];
            var nl = probe.IndexOf((byte)'\n');
            cutOff = nl < 0 && _eof && probe.Length == Available.Length;
            return nl >= 0 ? probe[..nl] : probe;
        }

        public bool SkipByteOrderMark()
        {
            while (!_eof && _len - _pos < Utf8Bom.Length) Fill();
            if (!Available.StartsWith(Utf8Bom)) return false;
            Advance(Utf8Bom.Length);
            return true;
        }

        /// <summary>Moves what is unread to the front and reads more; false at the end of the stream.</summary>
        public bool Fill()
        {
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
                _len -= _pos;
                _pos = 0;
            }
            if (_len == _buffer.Length) return true;
            var n = stream.Read(_buffer, _len, _buffer.Length - _len);
            if (n == 0)
            {
                _eof = true;
                return false;
            }
            _len += n;
            return true;
        }
    }
}
