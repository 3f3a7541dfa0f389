using System.IO.Compression;
using System.Text.Json;

namespace DataSyncPS.Engine.Tests.Infrastructure;

/// <summary>Reads batch files back the way a receiver would.</summary>
public static class BatchFiles
{
    public static IEnumerable<string> Lines(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, System.Text.Encoding.UTF8);
        while (reader.ReadLine() is { } line) yield return line;
    }

    public static List<JsonElement> Rows(string path) =>
        Lines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static List<JsonElement> Rows(IEnumerable<SyncBatch> batches) =>
        batches.OrderBy(b => b.Sequence).SelectMany(b => Rows(b.Path)).ToList();
}
