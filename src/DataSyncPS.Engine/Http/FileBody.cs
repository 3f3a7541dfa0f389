namespace DataSyncPS.Engine.Http;

/// <summary>
/// A file as a request body (an upload's PUT): streamed from disk, never held in memory, with its
/// Content-Length set from the file's size (DESIGN contract 8: no chunked bodies). Make one per
/// attempt: a body that has been sent cannot be sent again. The caller sets its Content-Type.
/// </summary>
public static class FileBody
{
    /// <param name="read">Told the bytes handed to the connection as they go (progress).</param>
    public static HttpContent Create(string path, Action<long>? read = null)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        Stream body = read is null ? file : new CountingReadStream(file, read);
        var content = new StreamContent(body, 1 << 16);
        content.Headers.ContentLength = file.Length;
        return content;
    }
}
