using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>Just enough of the DataSnap API on 127.0.0.1 to check a key: GET /v1/schemas/{slug} answers
/// 200 for <see cref="GoodKey"/> and schema "vendas", 404 for another schema, 401 for another key.</summary>
public sealed class SchemaApiStub : IDisposable
{
    public const string GoodKey = "dsk_Canary_Key_5b8e21";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public SchemaApiStub()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>The X-API-Key of every request, in order.</summary>
    public List<string?> KeysSeen { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            var key = context.Request.Headers["X-API-Key"];
            lock (KeysSeen) KeysSeen.Add(key);
            var (status, body) = key != GoodKey ? (401, """{"error": "invalid API key"}""")
                : context.Request.Url!.AbsolutePath == "/v1/schemas/vendas" ? (200, """{"slug": "vendas", "name": "Vendas"}""")
                : (404, """{"error": "schema not found"}""");
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
