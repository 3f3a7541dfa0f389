using System.IO.Compression;
using System.Reflection;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Opens the raw deflate streams batches are compressed with. On .NET 9 and later (PowerShell 7.5+)
/// zlib-ng takes an exact level, and Optimal is written at level 5: within 3% of gzip -6's size for
/// about two thirds of the CPU of level 6 (measured on the vendas benchmark's 330 MB of JSONL: level 6
/// 4.6 s, level 5 3.1 s, sizes 51.2 and 51.6 MB; gzip -6 50.7 MB). On .NET 8 (PowerShell 7.4) levels
/// cannot be chosen and Optimal is zlib's own. The module is built for .NET 8, so the newer API is
/// found by reflection, once.
/// </summary>
internal static class DeflateFactory
{
    public const int OptimalLevel = 5;

    private static readonly (ConstructorInfo Ctor, Type Options, PropertyInfo Level)? LevelApi = FindLevelApi();

    /// <summary>A deflate stream into <paramref name="destination"/>, left open when disposed.</summary>
    public static DeflateStream Create(Stream destination, CompressionLevel level)
    {
        if (level != CompressionLevel.Optimal || LevelApi is not var (ctor, optionsType, levelProperty))
            return new DeflateStream(destination, level, leaveOpen: true);
        var options = Activator.CreateInstance(optionsType)!;
        levelProperty.SetValue(options, OptimalLevel);
        return (DeflateStream)ctor.Invoke([destination, options, true]);
    }

    /// <summary>new DeflateStream(Stream, ZLibCompressionOptions { CompressionLevel = int }, bool), where it exists.</summary>
    private static (ConstructorInfo, Type, PropertyInfo)? FindLevelApi()
    {
        var optionsType = typeof(DeflateStream).Assembly.GetType("System.IO.Compression.ZLibCompressionOptions");
        var ctor = optionsType is null ? null : typeof(DeflateStream).GetConstructor([typeof(Stream), optionsType, typeof(bool)]);
        var levelProperty = optionsType?.GetProperty("CompressionLevel", BindingFlags.Public | BindingFlags.Instance);
        return ctor is null || levelProperty is null || levelProperty.PropertyType != typeof(int) ? null : (ctor, optionsType!, levelProperty);
    }
}
