using System.IO.Compression;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// Turns an uncompressed pg_dump custom archive (<c>pg_dump -Fc --compress=0</c>) into the compressed
/// archive pg_dump would have written, as it streams: the header says zlib, the table of contents passes
/// as it is, and each table's data (and each large object) becomes one zlib stream compressed in blocks
/// on every core. pg_dump compresses on one core, which made it the backup's long pole; pg_restore reads
/// the result like any <c>pg_dump -Fc</c> file (it is one: only how the zlib streams were made differs).
/// <para>The layout is archive version 1.14 (pg_dump 12 to 15), read as pg_backup_archiver.c and
/// pg_backup_custom.c write it: the header (magic, version, int and offset sizes, format, compression,
/// creation time, database, server and pg_dump versions), the TOC (per entry: ids, strings, section,
/// dependencies, the data offset), then data blocks, each a type byte and a dump id followed by
/// length-prefixed chunks ended by a zero length (large objects: an OID before each object's chunks, a
/// zero OID at the end). Anything else is refused: the backup fails rather than store an archive
/// pg_restore could not read.</para>
/// </summary>
internal sealed class PgArchiveRecompressor
{
    /// <summary>The archive version this reads: 1.14.</summary>
    public static readonly (int Major, int Minor) Version = (1, 14);

    /// <summary>pg_dump major versions that write <see cref="Version"/>.</summary>
    public static bool Writes(int pgDumpMajor) => pgDumpMajor is >= 12 and <= 15;

    private const byte CustomFormat = 1;
    private const byte DataBlock = 1, LargeObjectsBlock = 3;
    private const int OffsetNotSet = 1, OffsetSet = 2, OffsetNoData = 3;
    private const int ZlibDefaultCompression = -1;

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly CompressionLevel _level;
    private readonly DeflateWorkers _workers;
    private readonly byte[] _copy = new byte[64 * 1024];
    private int _intSize, _offSize;

    private PgArchiveRecompressor(Stream input, Stream output, CompressionLevel level, DeflateWorkers workers)
    {
        _input = input;
        _output = output;
        _level = level;
        _workers = workers;
    }

    /// <summary>Reads the uncompressed archive from <paramref name="input"/> to its end and writes the
    /// compressed one to <paramref name="output"/> (synchronously: from a thread of its own).</summary>
    public static void Copy(Stream input, Stream output, CompressionLevel level)
    {
        using var buffered = new BufferedStream(input, 1 << 16);
        using var workers = new DeflateWorkers(DeflateWorkers.DefaultCount);
        new PgArchiveRecompressor(buffered, output, level, workers).Run();
    }

    private void Run()
    {
        Header();
        var entries = CopyInt();
        if (entries < 0) throw Unexpected($"a table of contents of {entries} entries");
        for (var i = 0; i < entries; i++) TocEntry();
        int type;
        while ((type = _input.ReadByte()) >= 0)
        {
            _output.WriteByte((byte)type);
            CopyInt(); // the entry's dump id
            switch (type)
            {
                case DataBlock:
                    Compress();
                    break;
                case LargeObjectsBlock:
                    while (CopyInt() != 0) Compress(); // each object's OID, then its data; OID 0 ends the block
                    break;
                default:
                    throw Unexpected($"a data block of type {type}");
            }
        }
    }

    private void Header()
    {
        Span<byte> head = stackalloc byte[11];
        _input.ReadExactly(head);
        if (!head[..5].SequenceEqual("PGDMP"u8)) throw Unexpected("no PGDMP header");
        if ((head[5], head[6]) != Version) throw Unexpected($"archive version {head[5]}.{head[6]}, where pg_dump 12 to 15 write {Version.Major}.{Version.Minor}");
        (_intSize, _offSize) = (head[8], head[9]);
        if (_intSize is < 4 or > 8 || _offSize is < 4 or > 8) throw Unexpected($"integers of {_intSize} bytes and offsets of {_offSize}");
        if (head[10] != CustomFormat) throw Unexpected($"archive format {head[10]}, not custom");
        _output.Write(head);
        var compression = ReadInt();
        if (compression != 0) throw Unexpected($"compression {compression}, where it was asked for none");
        WriteInt(ZlibDefaultCompression);
        for (var i = 0; i < 7; i++) CopyInt(); // creation time: seconds to isdst
        for (var i = 0; i < 3; i++) CopyString(); // database, server version, pg_dump version
    }

    private void TocEntry()
    {
        CopyInt(); // dump id
        CopyInt(); // had a data dumper
        CopyString(); // table oid
        CopyString(); // oid
        CopyString(); // tag
        CopyString(); // desc
        CopyInt(); // section
        for (var i = 0; i < 8; i++) CopyString(); // defn, drop, copy statements, namespace, tablespace, table AM, owner, "false" (WITH OIDS)
        while (CopyString()) { } // dependencies, ended by a NULL string
        // Where the entry's data starts: a flag and an offset. Compressed, the data moves, so an offset
        // set (pg_dump writing to a file) is made "not set", which pg_restore finds by reading ahead.
        var flag = _input.ReadByte();
        if (flag is < OffsetNotSet or > OffsetNoData) throw Unexpected(flag < 0 ? "the end inside the table of contents" : $"a data offset flag of {flag}");
        _output.WriteByte((byte)(flag == OffsetSet ? OffsetNotSet : flag));
        for (var i = 0; i < _offSize; i++)
        {
            if (_input.ReadByte() < 0) throw new EndOfStreamException("The pg_dump output ended inside the table of contents.");
            _output.WriteByte(0);
        }
    }

    /// <summary>One data stream: its uncompressed chunks in, one zlib stream out in chunks, then the zero length.</summary>
    private void Compress()
    {
        using (var zlib = new ParallelDeflateStream(new ChunkWriter(this), _level, DeflateContainer.Zlib(), _workers))
        {
            int length;
            while ((length = ReadInt()) != 0)
            {
                if (length < 0) throw Unexpected($"a data chunk of {length} bytes");
                while (length > 0)
                {
                    var n = _input.Read(_copy, 0, Math.Min(length, _copy.Length));
                    if (n == 0) throw new EndOfStreamException("The pg_dump output ended inside a data chunk.");
                    zlib.Write(_copy, 0, n);
                    length -= n;
                }
            }
            zlib.Finish();
        }
        WriteInt(0);
    }

    private int ReadInt()
    {
        var sign = _input.ReadByte();
        long value = 0;
        for (var b = 0; b < _intSize; b++)
        {
            var x = _input.ReadByte();
            if (x < 0 || sign < 0) throw new EndOfStreamException("The pg_dump output ended inside an integer.");
            if (b < 4) value |= (long)x << (8 * b);
            else if (x != 0) throw Unexpected("an integer beyond 32 bits");
        }
        if (value > int.MaxValue) throw Unexpected("an integer beyond 32 bits");
        return sign == 0 ? (int)value : -(int)value;
    }

    private void WriteInt(int value)
    {
        Span<byte> bytes = stackalloc byte[1 + 8];
        bytes[0] = value < 0 ? (byte)1 : (byte)0;
        var magnitude = (uint)Math.Abs((long)value);
        for (var b = 0; b < _intSize; b++) bytes[1 + b] = b < 4 ? (byte)(magnitude >> (8 * b)) : (byte)0;
        _output.Write(bytes[..(1 + _intSize)]);
    }

    private int CopyInt()
    {
        var value = ReadInt();
        WriteInt(value);
        return value;
    }

    /// <summary>Copies a length-prefixed string; false for a NULL one.</summary>
    private bool CopyString()
    {
        var length = CopyInt();
        if (length < 0) return false;
        CopyBytes(length);
        return true;
    }

    private void CopyBytes(int count)
    {
        while (count > 0)
        {
            var n = _input.Read(_copy, 0, Math.Min(count, _copy.Length));
            if (n == 0) throw new EndOfStreamException("The pg_dump output ended early.");
            _output.Write(_copy, 0, n);
            count -= n;
        }
    }

    private static SyncException Unexpected(string what) => new(SyncErrorKind.BackupFailed,
        $"pg_dump's output is not the custom archive this module recompresses (it found {what}); give -ToolPath a pg_dump of version 12 to 15, or report the version you use.");

    /// <summary>Writes what the zlib stream produces as the archive's length-prefixed data chunks.</summary>
    private sealed class ChunkWriter(PgArchiveRecompressor archive) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty) return; // a zero length would end the data
            archive.WriteInt(data.Length);
            archive._output.Write(data);
        }

        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
