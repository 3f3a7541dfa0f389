using System.Net;
using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.DataSnap;
using DataSyncPS.Engine.Http;
using static DataSyncPS.Engine.Tests.Http.ScriptedHttpServer;

namespace DataSyncPS.Engine.Tests.Http;

/// <summary>DESIGN contract 8, seen on the wire: every request body goes with Content-Length and never
/// chunked, because a server that reads bodies by length sees a chunked one as empty.</summary>
public class RequestBodyTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly HttpPolicyOptions Quick = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        ReadTimeout = TimeSpan.FromSeconds(5),
    };

    private static void AssertFramedByLength((string Method, string Path, Dictionary<string, string> Headers, string Body) request, string expectedBody)
    {
        Assert.False(request.Headers.ContainsKey("Transfer-Encoding"), $"{request.Method} {request.Path} went with Transfer-Encoding: {request.Headers.GetValueOrDefault("Transfer-Encoding")}");
        Assert.True(request.Headers.TryGetValue("Content-Length", out var length), $"{request.Method} {request.Path} has no Content-Length");
        Assert.Equal(Encoding.UTF8.GetByteCount(expectedBody), int.Parse(length!));
        Assert.Equal(expectedBody, request.Body);
    }

    [Fact]
    public async Task Token_and_confirm_calls_send_their_JSON_with_Content_Length()
    {
        using var server = new ScriptedHttpServer(
            new Reply(200, """{"upload_id":"u1","upload_url":"http://127.0.0.1:1/x","expires_at":null,"headers":{}}"""),
            new Reply(200, """{"upload_id":"u1","status":"confirmed","rows":3}"""));
        using var http = new ResilientHttp(Quick);
        var client = new DataSnapClient(new Uri(server.BaseUrl, "api"), "dsk_test_key", http);
        var ct = TestContext.Current.CancellationToken;

        await client.RequestUploadAsync("vendas", new DataSnapContract.UploadTokenRequest("vendas-000001.jsonl.gz", 120, 3, Sha, Sha + "-1"), ct);
        await client.ConfirmAsync("vendas", "u1", new DataSnapContract.ConfirmRequest(3, Sha, Sha + "-1"), ct);

        var requests = server.Requests.ToList();
        Assert.Equal(["POST /api/schemas/vendas/generate-upload-token", "POST /api/schemas/vendas/uploads/u1/confirm"], requests.Select(r => $"{r.Method} {r.Path}"));
        AssertFramedByLength(requests[0], $$"""{"filename":"vendas-000001.jsonl.gz","size":120,"rows":3,"sha256":"{{Sha}}","idempotency_key":"{{Sha}}-1"}""");
        AssertFramedByLength(requests[1], $$"""{"rows":3,"sha256":"{{Sha}}","idempotency_key":"{{Sha}}-1"}""");
        Assert.All(requests, r => Assert.Equal("application/json; charset=utf-8", r.Headers["Content-Type"]));
    }

    [Fact]
    public async Task The_PUT_of_a_file_keeps_Content_Length_through_retries_and_counts_only_what_was_stored()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("vendas-000001.jsonl.gz");
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{{\"id\":{i}}}\n"));
        File.WriteAllText(path, text);
        using var server = new ScriptedHttpServer(new Reply(503), new Reply(0, Drop: true), new Reply(200));
        using var http = new ResilientHttp(Quick);
        var client = new DataSnapClient(new Uri(server.BaseUrl, "api"), "dsk_test_key", http);
        var token = new DataSnapContract.UploadToken("u1", new Uri(server.BaseUrl, "bucket/vendas-000001.jsonl.gz?X-Amz-Signature=s").ToString(), null,
            new Dictionary<string, string> { ["Content-Type"] = "application/gzip" });
        long sent = 0;

        var (stored, attempts) = await client.PutFileAsync(token, path, TestContext.Current.CancellationToken, n => Interlocked.Add(ref sent, n));

        Assert.True(stored);
        Assert.Equal(3, attempts);
        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => AssertFramedByLength(r, text));
        Assert.All(requests, r => Assert.Equal("application/gzip", r.Headers["Content-Type"]));
        Assert.Equal(new FileInfo(path).Length, sent); // the failed attempts' bytes are taken back
    }

    [Fact]
    public async Task An_expired_url_takes_back_the_bytes_it_counted()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("a.jsonl.gz");
        File.WriteAllText(path, new string('x', 10_000));
        using var server = new ScriptedHttpServer(new Reply(403));
        using var http = new ResilientHttp(Quick);
        var client = new DataSnapClient(new Uri(server.BaseUrl, "api"), "k", http);
        long sent = 0;
        var (stored, _) = await client.PutFileAsync(new DataSnapContract.UploadToken("u", server.BaseUrl.ToString(), null, null), path,
            TestContext.Current.CancellationToken, n => Interlocked.Add(ref sent, n));
        Assert.False(stored);
        Assert.Equal(0, sent);
    }

    [Fact]
    public async Task Json_bodies_know_their_length_before_they_are_sent()
    {
        using var content = JsonBody.Create(new DataSnapContract.ConfirmRequest(7, Sha, "k-1"));
        var expected = Encoding.UTF8.GetBytes($$"""{"rows":7,"sha256":"{{Sha}}","idempotency_key":"k-1"}""");
        Assert.Equal(expected.Length, content.Headers.ContentLength);
        Assert.Equal("application/json; charset=utf-8", content.Headers.ContentType!.ToString());
        Assert.Equal(expected, await content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_body_without_a_length_is_refused_before_it_leaves()
    {
        using var server = new ScriptedHttpServer(new Reply(200));
        using var http = new ResilientHttp(Quick);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => http.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, server.BaseUrl) { Content = System.Net.Http.Json.JsonContent.Create(new { a = 1 }) },
            "POST test", TestContext.Current.CancellationToken));
        Assert.Contains("Content-Length", error.Message);
        Assert.Empty(server.Requests);
    }
}
