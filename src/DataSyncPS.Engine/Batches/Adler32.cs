namespace DataSyncPS.Engine.Batches;

/// <summary>The Adler-32 checksum of RFC 1950 (zlib's), appended to as data comes. System.IO.Hashing has
/// none.</summary>
internal sealed class Adler32
{
    private const uint Modulus = 65521;
    // The most bytes whose sums cannot overflow 32 bits before the modulo (zlib's NMAX).
    private const int MaxRun = 5552;

    private uint _a = 1, _b;

    public uint Value => (_b << 16) | _a;

    public void Append(ReadOnlySpan<byte> data)
    {
        uint a = _a, b = _b;
        while (!data.IsEmpty)
        {
            var run = data[..Math.Min(MaxRun, data.Length)];
            foreach (var x in run)
            {
                a += x;
                b += a;
            }
            a %= Modulus;
            b %= Modulus;
            data = data[run.Length..];
        }
        (_a, _b) = (a, b);
    }
}
