using System.Net.Http.Headers;
using System.Text.Json;

namespace DataSyncPS.Engine.Http;

/// <summary>
/// A JSON request body for every API the module calls (DataSnap today; Plusoft, Auvo, Seq later):
/// serialized to bytes first, so it goes with Content-Length and never chunked (DESIGN contract 8).
/// System.Net.Http.Json's JsonContent streams without a length, and a server that reads bodies by
/// Content-Length (Python's http.server, some WSGI stacks and proxies) sees that body as empty.
/// </summary>
public static class JsonBody
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static HttpContent Create<T>(T value, JsonSerializerOptions? options = null)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, options ?? Web);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.ContentLength = bytes.Length;
        return content;
    }

    /// <summary>JSON already written as UTF-8 (a batch of records), sent from the caller's buffer as it is,
    /// with its Content-Length. The buffer must stay untouched until the call is over.</summary>
    public static HttpContent FromUtf8(ReadOnlyMemory<byte> json)
    {
        var content = new ReadOnlyMemoryContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.ContentLength = json.Length;
        return content;
    }
}
