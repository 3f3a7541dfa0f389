using System.Security.Cryptography;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// What makes a log file the same file across runs: a SHA-256 of its first bytes (up to
/// <see cref="PrefixBytes"/>) and how many bytes that hash covers.
/// <para>
/// Why content and not the inode: .NET exposes no inode, and a P/Invoke of <c>stat</c> depends on the
/// C library's struct layout per OS and architecture (and on Windows it is another API again), while
/// this works the same everywhere, network shares included. It also copes with the cases where an inode
/// is wrong: a deleted file's inode reused by the next laravel.log (same inode, new file), and
/// logrotate's copytruncate (same inode, but its content was copied to laravel.log.1 and it starts over;
/// the copy keeps the first bytes, so it carries on from the old offset and nothing is read twice).
/// A Laravel log starts with a timestamped header, so two different files do not share their first
/// bytes; files that do are copies of the same log, where carrying on from its offset is right.
/// The creation time is not used: on Linux it is the inode change time where no birth time is
/// recorded, and that changes on rename.
/// </para>
/// A file shorter than <see cref="PrefixBytes"/> is hashed as it is; later runs compare that many bytes.
/// </summary>
public sealed record LogFileIdentity(string Hash, int Length)
{
    public const int PrefixBytes = 256;

    public static LogFileIdentity Of(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length > PrefixBytes) prefix = prefix[..PrefixBytes];
        return new LogFileIdentity(Convert.ToHexString(SHA256.HashData(prefix), 0, 16).ToLowerInvariant(), prefix.Length);
    }

    /// <summary>Whether a file whose first bytes are <paramref name="prefix"/> is this file.</summary>
    public bool Matches(ReadOnlySpan<byte> prefix) =>
        Length > 0 && prefix.Length >= Length && Of(prefix[..Length]).Hash == Hash;

    /// <summary>Reads the first bytes of an open file (its position is left at the end of them).</summary>
    public static byte[] ReadPrefix(Stream stream)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[PrefixBytes];
        var n = 0;
        while (n < buffer.Length)
        {
            var read = stream.Read(buffer, n, buffer.Length - n);
            if (read == 0) break;
            n += read;
        }
        return buffer[..n];
    }
}
