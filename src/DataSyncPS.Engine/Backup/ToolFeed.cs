using System.Buffers;

namespace DataSyncPS.Engine.Backup;

/// <summary>Feeds a stream into a tool's stdin while draining its stdout (which would otherwise fill
/// its pipe and stop it), then waits for it to exit 0.</summary>
internal static class ToolFeed
{
    private const int Chunk = 1 << 20;

    /// <returns>The lines the tool wrote on stdout (pg_restore --list's entries, mysql's output).</returns>
    public static async Task<long> RunAsync(ToolProcess tool, Stream input, BackupProgress? progress, string doing, CancellationToken ct)
    {
        using var kill = ct.Register(tool.Kill);
        var drain = Task.Run(async () =>
        {
            long lines = 0;
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await tool.Stdout.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                lines += buffer.AsSpan(0, n).Count((byte)'\n');
            return lines;
        }, CancellationToken.None);
        var chunk = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            int n;
            while ((n = await input.ReadAsync(chunk.AsMemory(0, Chunk), ct).ConfigureAwait(false)) > 0)
            {
                try
                {
                    await tool.Stdin.WriteAsync(chunk.AsMemory(0, n), ct).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The tool closed its stdin: it failed, and its exit code and stderr say why.
                    break;
                }
                progress?.AddTool(n);
            }
            try { tool.Stdin.Close(); } catch (IOException) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        ct.ThrowIfCancellationRequested();
        await tool.EnsureSucceededAsync(doing, ct).ConfigureAwait(false);
        return await drain.ConfigureAwait(false);
    }
}
