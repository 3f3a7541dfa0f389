using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Engine.Notify;
using DataSyncPS.Engine.Tests.Http;
using static DataSyncPS.Engine.Tests.Http.ScriptedHttpServer;

namespace DataSyncPS.Engine.Tests.Logging;

/// <summary>Seq's raw ingestion endpoint on a loopback server that sees the request as sent.</summary>
public class SeqClefSenderTests
{
    private const string SeqKey = "seq-Canary-5512-key";
    private static readonly DateTimeOffset When = new(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Events_are_posted_as_CLEF_with_the_key_header_and_Content_Length_never_chunked()
    {
        using var server = new ScriptedHttpServer(new Reply(201, "{\"MinimumLevelAccepted\":null}"));
        using var seq = new SeqClefSender(server.BaseUrl, SeqKey);

        await seq.SendAsync([LogEvents.At(When, "first"), LogEvents.At(When.AddSeconds(1), "second") with { ErrorId = "RemoteCallFailed" }], TestContext.Current.CancellationToken);

        var (method, path, headers, body) = Assert.Single(server.Requests);
        Assert.Equal("POST", method);
        Assert.Equal("/api/events/raw?clef", path);
        Assert.Equal(SeqKey, headers["X-Seq-ApiKey"]);
        Assert.Equal("application/vnd.serilog.clef", headers["Content-Type"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(), headers["Content-Length"]);
        Assert.False(headers.ContainsKey("Transfer-Encoding"));
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["first", "second"], lines.Select(l => l.GetProperty("@m").GetString()));
        Assert.Equal("RemoteCallFailed", lines[1].GetProperty("ErrorId").GetString());
        Assert.All(lines, l => Assert.Equal("public.vendas", l.GetProperty("Stream").GetString()));
    }

    [Fact]
    public async Task A_server_under_a_path_and_no_key_sends_no_key_header()
    {
        using var server = new ScriptedHttpServer(new Reply(201));
        using var seq = new SeqClefSender(new Uri(server.BaseUrl, "seq"), apiKey: null);
        await seq.SendAsync([LogEvents.At(When)], TestContext.Current.CancellationToken);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/seq/api/events/raw?clef", request.Path);
        Assert.False(request.Headers.ContainsKey("X-Seq-ApiKey"));
    }

    [Fact]
    public async Task A_refused_key_is_Unauthorized_and_the_message_does_not_hold_the_key()
    {
        using var server = new ScriptedHttpServer(new Reply(401, "{\"Error\":\"The API key is not valid.\"}"));
        using var seq = new SeqClefSender(server.BaseUrl, SeqKey);
        var ex = await Assert.ThrowsAsync<SyncException>(() => seq.SendAsync([LogEvents.At(When)], TestContext.Current.CancellationToken));
        Assert.Equal(SyncErrorKind.Unauthorized, ex.Kind);
        Assert.Contains("401", ex.Message);
        Assert.DoesNotContain(SeqKey, ex.Message);
    }

    [Fact]
    public async Task A_closed_port_is_RemoteCallFailed()
    {
        using var seq = new SeqClefSender(ClosedPort(), SeqKey);
        var ex = await Assert.ThrowsAsync<SyncException>(() => seq.SendAsync([LogEvents.At(When)], TestContext.Current.CancellationToken));
        Assert.Equal(SyncErrorKind.RemoteCallFailed, ex.Kind);
        Assert.DoesNotContain(SeqKey, ex.Message);
    }

    [Fact]
    public async Task A_Seq_that_never_answers_is_given_up_on_at_the_timeout()
    {
        using var server = new ScriptedHttpServer(new Reply(201, Delay: TimeSpan.FromMinutes(5)));
        using var seq = new SeqClefSender(server.BaseUrl, SeqKey, TimeSpan.FromMilliseconds(300));
        var ex = await Assert.ThrowsAsync<SyncException>(() => seq.SendAsync([LogEvents.At(When)], TestContext.Current.CancellationToken));
        Assert.Equal(SyncErrorKind.RemoteCallFailed, ex.Kind);
        Assert.Contains("did not answer", ex.Message);
    }

    [Fact]
    public void A_URL_that_is_not_http_is_InvalidArgument()
    {
        var ex = Assert.Throws<SyncException>(() => new SeqClefSender(new Uri("ftp://seq01/"), null));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
    }

    /// <summary>A loopback port nothing listens on.</summary>
    internal static Uri ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
