using System.IO.Compression;
using System.Reflection;

namespace DataSyncPS.Engine.Batches;

/// <summary>
/// Opens the gzip stream of a batch. On .NET 9 and later (PowerShell 7.5+) zlib-ng takes an exact
/// level, and Optimal is written at level 5: within 2% of gzip -6's size for about two thirds of the
/// CPU of level 6, which is what CompressionLevel.Optimal means there (measured on the vendas
/// benchmark's 330 MB of JSONL: level 6 4.6 s, level 5 3.1 s, sizes 51.2 and 51.6 MB; gzip -6 50.7 MB).
/// On .NET 8 (PowerShell 7.4) the levels cannot be chosen and Optimal is zlib's own.
/// The module is built for .NET 8, so the newer API is bound once, by reflection.
/// </summary>
internal static class GzipFactory
{
    public const int OptimalLevel = 5;

    private static readonly (ConstructorInfo Ctor, Type Options, PropertyInfo Level)? LevelApi = FindLevelApi();

    /// <summary>A batch's gzip stream; reflection costs microseconds once per batch, nothing per row.</summary>
    public static GZipStream Create(Stream destination, CompressionLevel level)
    {
        if (level != CompressionLevel.Optimal || LevelApi is not var (ctor, optionsType, levelProperty))
            return new GZipStream(destination, level, leaveOpen: true);
        var options = Activator.CreateInstance(optionsType)!;
        levelProperty.SetValue(options, OptimalLevel);
        return (GZipStream)ctor.Invoke([destination, options, true]);
    }

    /// <summary>new GZipStream(Stream, ZLibCompressionOptions { CompressionLevel = int }, bool), where it exists.</summary>
    private static (ConstructorInfo, Type, PropertyInfo)? FindLevelApi()
    {
        var optionsType = typeof(GZipStream).Assembly.GetType("System.IO.Compression.ZLibCompressionOptions");
        var ctor = optionsType is null ? null : typeof(GZipStream).GetConstructor([typeof(Stream), optionsType, typeof(bool)]);
        var levelProperty = optionsType?.GetProperty("CompressionLevel", BindingFlags.Public | BindingFlags.Instance);
        return ctor is null || levelProperty is null || levelProperty.PropertyType != typeof(int) ? null : (ctor, optionsType!, levelProperty);
    }
}
