using System.IO.Compression;
using System.Text;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Tests.Outbox;

/// <summary>Optimal is zlib-ng level 5 where the runtime lets a level be chosen (.NET 9+, so PowerShell
/// 7.5+): gzip -6's size for two thirds of level 6's CPU. Other levels are .NET's own.</summary>
public sealed class GzipLevelTests
{
    private static readonly byte[] Sample = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i =>
        $$"""{"id":{{i}},"cliente_nome":"Cliente {{i % 977}}","valor_total":{{i * 7 % 10_000}}.{{i % 100:D2}},"pago":{{(i % 3 == 0 ? "true" : "false")}}}""" + "\n")));

    [Fact]
    public void Optimal_is_written_at_level_5_and_reads_back()
    {
        var ours = Compress(s => GzipFactory.Create(s, CompressionLevel.Optimal));
        var level5 = Compress(s => new GZipStream(s, new ZLibCompressionOptions { CompressionLevel = 5 }, leaveOpen: true));
        Assert.Equal(level5, ours);
        Assert.Equal(Sample, Decompress(ours));
    }

    [Theory]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void Other_levels_are_the_runtimes_own(CompressionLevel level)
    {
        Assert.Equal(Compress(s => new GZipStream(s, level, leaveOpen: true)), Compress(s => GzipFactory.Create(s, level)));
    }

    private static byte[] Compress(Func<Stream, GZipStream> open)
    {
        using var ms = new MemoryStream();
        using (var gz = open(ms)) gz.Write(Sample);
        return ms.ToArray();
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
