namespace DataSyncPS.Engine.Backup;

/// <summary>A dump tool's stdout as read by the backup, counted into its progress. Disposing it leaves
/// the tool's stream to the tool's run.</summary>
internal sealed class ToolOutputReader(Stream stdout, BackupProgress progress) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = stdout.Read(buffer);
        progress.AddTool(n);
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
