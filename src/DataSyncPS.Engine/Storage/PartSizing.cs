using System.Globalization;

namespace DataSyncPS.Engine.Storage;

/// <summary>The part size of a multipart upload, and why.</summary>
public sealed record PartPlan(int PartSize, string Reason);

/// <summary>
/// Chooses a multipart upload's part size before its first byte. Every part but the last has that one
/// size (Cloudflare R2 refuses unequal parts), a store takes at most 10,000 parts, and memory is two
/// parts: so the size is the smallest whole megabyte whose 10,000 parts hold twice the expected size
/// (the database's size on disk, which a compressed dump rarely reaches but a text one of some types
/// can pass), at least S3's 5 MB and at most 1 GB. A size given by the admin is kept as it is.
/// </summary>
public static class PartSizing
{
    public const int S3MaxParts = 10_000;
    public const int SmallestPart = 5 << 20;
    public const int LargestPart = 1 << 30;
    private const int Margin = 2;
    private const int MB = 1 << 20;

    public static PartPlan Choose(int? givenPartSize, long? expectedBytes, int maxParts = S3MaxParts)
    {
        if (givenPartSize is { } given)
        {
            var reason = $"parts of {given / MB} MB as given (-PartSizeMB): {maxParts:N0} parts hold {Size((long)given * maxParts)}";
            if (expectedBytes is { } e && e > (long)given * maxParts)
                reason += $"; the database is {Size(e)} on disk, and a dump larger than that stops at part {maxParts:N0}";
            return new PartPlan(given, reason + ".");
        }
        if (expectedBytes is not { } expected)
            return new PartPlan(SmallestPart, $"parts of {SmallestPart / MB} MB (S3's smallest; the size to expect is unknown): {maxParts:N0} parts hold {Size((long)SmallestPart * maxParts)}; give -PartSizeMB for more.");
        var needed = (expected * Margin + (long)maxParts * MB - 1) / ((long)maxParts * MB) * MB;
        var size = (int)Math.Clamp(needed, SmallestPart, LargestPart);
        var why = needed > LargestPart
            ? $"the largest the module uses; {Size((long)size * maxParts)} in {maxParts:N0} parts is less than twice the database's {Size(expected)} on disk: give -PartSizeMB to go further"
            : size == SmallestPart
                ? $"S3's smallest; {maxParts:N0} parts hold {Size((long)size * maxParts)}, at least twice the database's {Size(expected)} on disk"
                : $"{maxParts:N0} parts hold {Size((long)size * maxParts)}, twice the database's {Size(expected)} on disk; memory is two parts";
        return new PartPlan(size, $"parts of {size / MB} MB ({why}).");
    }

    /// <summary>Sizes as the cmdlets show them (1 GB = 2^30 bytes).</summary>
    internal static string Size(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("N1", CultureInfo.InvariantCulture) + " GB"
        : (bytes / (double)MB).ToString("N1", CultureInfo.InvariantCulture) + " MB";
}
