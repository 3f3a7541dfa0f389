using System.Net;
using DataSyncPS.Engine.Http;
using static DataSyncPS.Engine.Tests.Http.ScriptedHttpServer;

namespace DataSyncPS.Engine.Tests.Http;

/// <summary>The one resilience policy every HTTP client goes through (DESIGN contract 4).</summary>
public class ResilientHttpTests
{
    private static readonly HttpPolicyOptions Quick = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        ReadTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    private static Func<HttpRequestMessage> Get(Uri url) => () => new HttpRequestMessage(HttpMethod.Get, url);

    [Fact]
    public async Task Transient_statuses_and_dropped_connections_are_retried_until_success()
    {
        using var server = new ScriptedHttpServer(new Reply(503), new Reply(0, Drop: true), new Reply(500), new Reply(200, "{\"ok\":true}"));
        using var http = new ResilientHttp(Quick);
        var retries = new List<string>();
        http.OnRetry = retries.Add;
        var (response, attempts) = await http.SendAsync(Get(server.BaseUrl), "GET test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, attempts);
        Assert.Equal(3, retries.Count);
        Assert.Contains("HTTP 503", retries[0]);
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        using var server = new ScriptedHttpServer(new Reply(429, Headers: new() { ["Retry-After"] = "1" }), new Reply(200));
        using var http = new ResilientHttp(Quick);
        var retries = new List<string>();
        http.OnRetry = retries.Add;
        var (response, attempts) = await http.SendAsync(Get(server.BaseUrl), "GET test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attempts);
        Assert.Contains("retrying in 1.0s", Assert.Single(retries)); // the server's delay, not the 10 ms backoff
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        using var server = new ScriptedHttpServer(new Reply(401, "{\"error\":\"bad key\"}"));
        using var http = new ResilientHttp(Quick);
        var (response, attempts) = await http.SendAsync(Get(server.BaseUrl), "GET test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Giving_up_names_the_endpoint_and_the_attempts()
    {
        using var server = new ScriptedHttpServer(new Reply(0, Drop: true), new Reply(0, Drop: true), new Reply(0, Drop: true), new Reply(0, Drop: true));
        using var http = new ResilientHttp(Quick);
        var ex = await Assert.ThrowsAsync<HttpCallFailedException>(() => http.SendAsync(Get(server.BaseUrl), $"GET {server.BaseUrl}", CancellationToken.None));
        Assert.Equal(4, ex.Attempts);
        Assert.Contains(server.BaseUrl.ToString(), ex.Message);
        Assert.Contains("4 attempt(s)", ex.Message);
    }

    [Fact]
    public async Task A_slow_response_hits_the_read_timeout_and_is_retried()
    {
        using var server = new ScriptedHttpServer(new Reply(200, Delay: TimeSpan.FromSeconds(3)), new Reply(200, "{}"));
        using var http = new ResilientHttp(new HttpPolicyOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10), ReadTimeout = TimeSpan.FromMilliseconds(500) });
        var (response, attempts) = await http.SendAsync(Get(server.BaseUrl), "GET test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        using var server = new ScriptedHttpServer(new Reply(503), new Reply(200));
        using var http = new ResilientHttp(new HttpPolicyOptions { MaxAttempts = 1 });
        var (response, attempts) = await http.SendAsync(Get(server.BaseUrl), "GET test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public void User_info_is_left_out_of_messages() =>
        Assert.Equal("https://api.example/v1/schemas/x", EndpointText.Mask("https://user:pw@api.example/v1/schemas/x"));

    [Fact]
    public void Signed_urls_are_masked_in_messages()
    {
        var masked = EndpointText.Mask("http://s3.local:4568/bucket/vendas-000001.jsonl.gz?X-Amz-Signature=abc&X-Amz-Credential=key");
        Assert.Equal("http://s3.local:4568/bucket/vendas-000001.jsonl.gz?…", masked);
        Assert.DoesNotContain("Signature", masked);
    }
}
