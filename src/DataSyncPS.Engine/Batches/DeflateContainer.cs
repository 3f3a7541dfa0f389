using System.Buffers.Binary;
using System.IO.Hashing;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// What wraps a deflate stream: its header, the checksum of the uncompressed data, and the trailer. Gzip
/// (RFC 1952: CRC-32 and size) for batch files and MariaDB dumps; zlib (RFC 1950: Adler-32) for the
/// table data inside a pg_dump custom archive. One instance per stream (it holds the running checksum).
/// </summary>
internal abstract class DeflateContainer
{
    public static DeflateContainer Gzip() => new GzipContainer();

    public static DeflateContainer Zlib() => new ZlibContainer();

    public abstract ReadOnlySpan<byte> Header { get; }

    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>Writes the trailer after the final deflate block.</summary>
    public abstract void WriteTrailer(Stream destination);

    private sealed class GzipContainer : DeflateContainer
    {
        private readonly Crc32 _crc = new();
        private long _size;

        // ID1 ID2, CM = deflate, no flags, no mtime, no extra flags, OS = unknown.
        public override ReadOnlySpan<byte> Header => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

        public override void Append(ReadOnlySpan<byte> data)
        {
            _crc.Append(data);
            _size += data.Length;
        }

        public override void WriteTrailer(Stream destination)
        {
            Span<byte> trailer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_size));
            destination.Write(trailer);
        }
    }

    private sealed class ZlibContainer : DeflateContainer
    {
        private readonly Adler32 _adler = new();

        // CMF: deflate with a 32 KB window; FLG: default level, no dictionary, check bits making it a multiple of 31.
        public override ReadOnlySpan<byte> Header => [0x78, 0x9c];

        public override void Append(ReadOnlySpan<byte> data) => _adler.Append(data);

        public override void WriteTrailer(Stream destination)
        {
            Span<byte> trailer = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(trailer, _adler.Value);
            destination.Write(trailer);
        }
    }
}
