using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Tests.Outbox;

/// <summary>
/// Batches are compressed in blocks on several threads and written as one ordinary gzip member: any
/// reader (.NET, GNU gzip) gets the bytes back, the trailer's CRC-32 and size are right, and the size
/// is that of a single-threaded stream at the same level, within a percent. Optimal is zlib-ng level 5
/// where the runtime lets a level be chosen (.NET 9+, so PowerShell 7.5+).
/// </summary>
public sealed class ParallelGzipTests
{
    private static readonly byte[] Sample = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 60_000).Select(i =>
        $$"""{"id":{{i}},"cliente_nome":"Cliente {{i % 977}} São Paulo","valor_total":{{i * 7 % 10_000}}.{{i % 100:D2}},"pago":{{(i % 3 == 0 ? "true" : "false")}}}""" + "\n")));

    [Fact]
    public void Optimal_deflates_at_level_5()
    {
        Assert.Equal(Deflate(s => new DeflateStream(s, new ZLibCompressionOptions { CompressionLevel = 5 }, leaveOpen: true)),
            Deflate(s => DeflateFactory.Create(s, CompressionLevel.Optimal)));
    }

    [Theory]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void Other_levels_are_the_runtimes_own(CompressionLevel level) =>
        Assert.Equal(Deflate(s => new DeflateStream(s, level, leaveOpen: true)), Deflate(s => DeflateFactory.Create(s, level)));

    [Theory]
    [InlineData(CompressionLevel.Optimal, 1)]
    [InlineData(CompressionLevel.Optimal, 4)]
    [InlineData(CompressionLevel.Fastest, 2)]
    [InlineData(CompressionLevel.NoCompression, 2)]
    public void Blocks_compressed_in_parallel_make_one_gzip_member_any_reader_takes(CompressionLevel level, int workers)
    {
        var gz = Compress(Sample, level, workers, chunk: 256 * 1024);

        Assert.Equal(Sample, GunzipDotNet(gz));
        Assert.Equal(Sample, GunzipCommandLine(gz));
        Assert.Equal([0x1f, 0x8b, 8], gz[..3]);
        Assert.Equal((uint)Sample.Length, BitConverter.ToUInt32(gz, gz.Length - 4));
        if (level == CompressionLevel.Optimal)
        {
            var single = SingleStreamGzip(Sample);
            Assert.True(gz.Length < single.Length * 1.01, $"{gz.Length} bytes in parallel blocks, {single.Length} in one stream");
        }
    }

    [Fact]
    public void An_empty_batch_is_a_valid_empty_member()
    {
        var gz = Compress([], CompressionLevel.Optimal, 2, chunk: 1024);
        Assert.Empty(GunzipDotNet(gz));
        Assert.Empty(GunzipCommandLine(gz));
    }

    [Fact]
    public void Abandoning_a_member_returns_every_buffer_and_leaves_no_worker_blocked()
    {
        using var workers = new DeflateWorkers(2);
        using var output = new MemoryStream();
        using (var writer = new ParallelDeflateWriter(output, workers, CompressionLevel.Optimal))
        {
            for (var i = 0; i < 12; i++)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(256 * 1024);
                Sample.AsSpan(0, 256 * 1024).CopyTo(chunk);
                writer.Add(chunk, 256 * 1024);
            }
        } // disposed without Finish: abandoned
        var again = Compress(Sample, CompressionLevel.Optimal, 2, chunk: 300_000, workersToUse: workers);
        Assert.Equal(Sample, GunzipDotNet(again));
    }

    private static byte[] Compress(byte[] data, CompressionLevel level, int workerCount, int chunk, DeflateWorkers? workersToUse = null)
    {
        var workers = workersToUse ?? new DeflateWorkers(workerCount);
        try
        {
            using var output = new MemoryStream();
            using (var writer = new ParallelDeflateWriter(output, workers, level))
            {
                for (var i = 0; i < data.Length; i += chunk)
                {
                    var n = Math.Min(chunk, data.Length - i);
                    var array = ArrayPool<byte>.Shared.Rent(n);
                    data.AsSpan(i, n).CopyTo(array);
                    writer.Add(array, n);
                }
                writer.Finish();
            }
            return output.ToArray();
        }
        finally
        {
            if (workersToUse is null) workers.Dispose();
        }
    }

    private static byte[] Deflate(Func<Stream, DeflateStream> open)
    {
        using var ms = new MemoryStream();
        using (var d = open(ms)) d.Write(Sample);
        return ms.ToArray();
    }

    private static byte[] SingleStreamGzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, new ZLibCompressionOptions { CompressionLevel = 5 }, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] GunzipDotNet(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>GNU gzip checks the CRC-32 and size of the trailer, and refuses trailing garbage.</summary>
    private static byte[] GunzipCommandLine(byte[] gz)
    {
        var psi = new ProcessStartInfo("gzip", "-dc") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var writing = Task.Run(() => { p.StandardInput.BaseStream.Write(gz); p.StandardInput.Close(); });
        using var output = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(output);
        writing.Wait();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "gzip -dc: " + error);
        Assert.Equal("", error);
        return output.ToArray();
    }
}
