using System.Runtime.CompilerServices;
using System.Buffers;

namespace DataSyncPS.Engine.Batches;

/// <summary>An <see cref="IBufferWriter{T}"/> over one pooled array that is handed off whole when it
/// fills, so JSON is written once and never copied except at a batch split.</summary>
internal sealed class ChunkBuffer : IBufferWriter<byte>
{
    private byte[] _buffer;

    public ChunkBuffer(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0) { Ensure(sizeHint); return _buffer.AsMemory(Length); }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Span<byte> GetSpan(int sizeHint = 0) { Ensure(sizeHint); return _buffer.AsSpan(Length); }

    public void WriteByte(byte b) { Ensure(1); _buffer[Length++] = b; }

    /// <summary>Gives away the filled part and starts a new array that begins with the bytes from
    /// <paramref name="keepFrom"/> on (a row that belongs to the next batch).</summary>
    public (byte[] Array, int Length) Detach(int capacity, int keepFrom = -1)
    {
        var old = _buffer;
        var oldLength = Length;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, keepFrom >= 0 ? oldLength - keepFrom : 0));
        Length = 0;
        if (keepFrom >= 0)
        {
            old.AsSpan(keepFrom, oldLength - keepFrom).CopyTo(_buffer);
            Length = oldLength - keepFrom;
            oldLength = keepFrom;
        }
        return (old, oldLength);
    }

    public void Release()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Length = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_buffer.Length - Length >= sizeHint) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + sizeHint));
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
