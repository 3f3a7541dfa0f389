using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DataSyncPS.Engine.Tests.Http;

/// <summary>A real HTTP/1.1 server on loopback, on raw sockets so that it can also drop a connection
/// (reset, no response), answering each request with the next scripted reply; each connection is served
/// on its own, so a slow reply does not hold up the next request.</summary>
public sealed class ScriptedHttpServer : IDisposable
{
    public sealed record Reply(int Status, string Body = "", Dictionary<string, string>? Headers = null, bool Drop = false, TimeSpan? Delay = null);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<Reply> _replies = new();
    private readonly CancellationTokenSource _stop = new();

    public ScriptedHttpServer(params Reply[] replies)
    {
        foreach (var r in replies) _replies.Enqueue(r);
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl { get; }
    public ConcurrentQueue<(string Method, string Path, Dictionary<string, string> Headers, string Body)> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0) return;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        var body = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await stream.ReadAsync(body.AsMemory(read)).ConfigureAwait(false);
            if (n == 0) return;
            read += n;
        }
        var parts = lines[0].Split(' ');
        Requests.Enqueue((parts[0], parts[1], headers, Encoding.UTF8.GetString(body)));
        var reply = _replies.TryDequeue(out var r) ? r : new Reply(200, "{}");
        if (reply.Delay is { } delay) await Task.Delay(delay).ConfigureAwait(false);
        if (reply.Drop)
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST: the client sees a reset, no response
            return;
        }
        var payload = Encoding.UTF8.GetBytes(reply.Body);
        var response = new StringBuilder($"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\n");
        response.Append($"Content-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n");
        foreach (var (k, v) in reply.Headers ?? []) response.Append($"{k}: {v}\r\n");
        response.Append("\r\n");
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString())).ConfigureAwait(false);
            await stream.WriteAsync(payload).ConfigureAwait(false);
        }
        catch (IOException) { /* the client gave up (read timeout test) */ }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
