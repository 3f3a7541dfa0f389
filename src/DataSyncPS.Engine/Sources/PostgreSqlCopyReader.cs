using System.Runtime.CompilerServices;
using System.Buffers.Binary;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// Tuples of a <c>COPY ... TO STDOUT (FORMAT BINARY)</c> stream: an 11-byte signature, flags and a
/// header extension, then per row an int16 field count and, per field, an int32 length (-1 for NULL)
/// and the value in the type's binary send format; a field count of -1 ends the data. Each row is kept
/// whole in one buffer, so its fields are spans, never copies.
/// The per-row methods of the export path are compiled optimized at once (AggressiveOptimization): in a
/// PowerShell process new code is jitted all the time, which keeps postponing tiered compilation's
/// promotion, and the row loop ran unoptimized for seconds.
/// </summary>
internal sealed class PostgreSqlCopyReader
{
    // "PGCOPY\n\xff\r\n\0" (a u8 string literal would encode \xff as two bytes)
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 18];
    private int _rowStart, _position, _end;
    private int[] _offsets = new int[16];
    private int[] _lengths = new int[16];
    private bool _finished;

    public PostgreSqlCopyReader(Stream stream)
    {
        _stream = stream;
        _rowStart = 0;
        Ensure(Signature.Length + 8);
        if (!_buffer.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            throw new InvalidDataException("The COPY stream does not start with the binary signature.");
        var extension = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(Signature.Length + 4));
        _position = Signature.Length + 8;
        Ensure(extension);
        _position += extension;
    }

    public int FieldCount { get; private set; }

    public bool IsNull(int field) => _lengths[field] < 0;

    public ReadOnlySpan<byte> Field(int field) => _buffer.AsSpan(_rowStart + _offsets[field], _lengths[field]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        if (_finished) return false;
        _rowStart = _position;
        Ensure(2);
        var count = BinaryPrimitives.ReadInt16BigEndian(_buffer.AsSpan(_position));
        _position += 2;
        if (count < 0)
        {
            _finished = true;
            // Drain to the end of the COPY, so the connection is ready for the next statement.
            while (_stream.Read(_buffer, 0, _buffer.Length) > 0) { }
            return false;
        }
        if (count > _offsets.Length)
        {
            _offsets = new int[count];
            _lengths = new int[count];
        }
        for (var i = 0; i < count; i++)
        {
            Ensure(4);
            var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_position));
            _position += 4;
            _lengths[i] = length;
            _offsets[i] = _position - _rowStart;
            if (length <= 0) continue;
            Ensure(length);
            _position += length;
        }
        FieldCount = count;
        return true;
    }

    /// <summary>Makes <paramref name="bytes"/> bytes available at the read position, keeping the
    /// current row in the buffer (moved to its start, or into a bigger buffer for a big row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ensure(int bytes)
    {
        if (_end - _position >= bytes) return;
        var kept = _end - _rowStart;
        var needed = _position - _rowStart + bytes;
        if (needed > _buffer.Length)
        {
            var bigger = new byte[Math.Max(needed, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _rowStart, bigger, 0, kept);
            _buffer = bigger;
        }
        else if (_rowStart > 0)
        {
            Buffer.BlockCopy(_buffer, _rowStart, _buffer, 0, kept);
        }
        _position -= _rowStart;
        _end = kept;
        _rowStart = 0;
        while (_end - _position < bytes)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) throw new EndOfStreamException("The COPY stream ended in the middle of a row.");
            _end += n;
        }
    }
}
