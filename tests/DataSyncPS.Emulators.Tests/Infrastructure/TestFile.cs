using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace DataSyncPS.Emulators.Tests.Infrastructure;

/// <summary>A batch file as the exporter makes them: gzip JSONL, its SHA-256, and an idempotency key (SHA-256 + sequence).</summary>
public sealed record TestFile(string Name, byte[] Bytes, long Rows, string Sha256, string IdempotencyKey)
{
    /// <summary><paramref name="rows"/> rows; <paramref name="noiseBytes"/> of random text per row keep it from compressing (big bodies).</summary>
    public static TestFile Make(long rows, int sequence = 1, int noiseBytes = 0)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            for (var i = 0; i < rows; i++)
            {
                var noise = noiseBytes > 0 ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(noiseBytes)) : "";
                writer.Write($"{{\"id\":{i},\"nome\":\"linha {i} ç\",\"noise\":\"{noise}\",\"run\":\"{Guid.NewGuid():N}\"}}\n");
            }
        }
        var bytes = buffer.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return new TestFile($"vendas-{sequence:D6}.jsonl.gz", bytes, rows, sha, $"{sha}-{sequence}");
    }

    public object TokenBody => new { filename = Name, size = Bytes.LongLength, rows = Rows, sha256 = Sha256, idempotency_key = IdempotencyKey };

    public object ConfirmBody => new { rows = Rows, sha256 = Sha256, idempotency_key = IdempotencyKey };
}
