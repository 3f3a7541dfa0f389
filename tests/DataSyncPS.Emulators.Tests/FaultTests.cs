using System.Net;
using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Emulators.Tests.Infrastructure;

namespace DataSyncPS.Emulators.Tests;

/// <summary>Every injectable fault, seen from a plain HttpClient, and what state it leaves behind.</summary>
public sealed class FaultTests
{
    private static async Task<List<JsonElement>> CallsAsync(TestEmulator e) =>
        (await e.ControlAsync("/calls")).EnumerateArray().ToList();

    [Fact]
    public async Task An_expired_url_is_403_and_asking_again_gives_a_fresh_one_for_the_same_upload()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Faults.Add(FaultRule.Parse("token:expired:next=1")));
        var file = TestFile.Make(12);
        var expired = await e.TokenOkAsync(file);
        Assert.True(DateTimeOffset.Parse(expired.GetProperty("expires_at").GetString()!) < DateTimeOffset.UtcNow);
        using (var put = await e.PutAsync(expired, file.Bytes))
        {
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            Assert.Contains("Request has expired", await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var fresh = await e.TokenOkAsync(file);
        Assert.Equal(expired.GetProperty("upload_id").GetString(), fresh.GetProperty("upload_id").GetString());
        Assert.NotEqual(expired.GetProperty("upload_url").GetString(), fresh.GetProperty("upload_url").GetString());
        Assert.True(DateTimeOffset.Parse(fresh.GetProperty("expires_at").GetString()!) > DateTimeOffset.UtcNow);
        using (var put = await e.PutAsync(fresh, file.Bytes)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var confirm = await e.ConfirmAsync(fresh.GetProperty("upload_id").GetString()!, file.ConfirmBody);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
    }

    [Fact]
    public async Task A_url_that_runs_out_of_time_is_403_and_replaced_on_the_next_token()
    {
        await using var e = await TestEmulator.StartAsync(o => o.UrlExpiry = TimeSpan.FromSeconds(1));
        var file = TestFile.Make(3);
        var token = await e.TokenOkAsync(file);
        var expiresAt = DateTimeOffset.Parse(token.GetProperty("expires_at").GetString()!);
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(1100), TestContext.Current.CancellationToken);
        using (var put = await e.PutAsync(token, file.Bytes)) Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        var fresh = await e.TokenOkAsync(file);
        Assert.NotEqual(token.GetProperty("upload_url").GetString(), fresh.GetProperty("upload_url").GetString());
    }

    [Fact]
    public async Task Without_the_proxy_s3rver_itself_refuses_an_expired_url()
    {
        await using var e = await TestEmulator.StartAsync(o =>
        {
            o.UseS3Proxy = false;
            o.Faults.Add(FaultRule.Parse("token:expired:next=1"));
        });
        var file = TestFile.Make(3);
        var token = await e.TokenOkAsync(file);
        Assert.StartsWith(TestEnvironment.S3.TrimEnd('/'), token.GetProperty("upload_url").GetString());
        using var put = await e.PutAsync(token, file.Bytes);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("Request has expired", await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("schema"), InlineData("token"), InlineData("confirm"), InlineData("put")]
    public async Task Status_faults_answer_429_with_retry_after_then_500_then_503_then_the_call_works(string kind)
    {
        await using var e = await TestEmulator.StartAsync();
        await e.SetFaultsAsync(
            new { kind, fault = "429", next = 1, retry_after = 7 },
            new { kind, fault = "500", next = 1 },
            new { kind, fault = "503", next = 1, retry_after = 2 });
        var file = TestFile.Make(4);
        // What the call of this kind needs before it (no faults on the other kinds).
        var token = kind is "put" or "confirm" ? await e.TokenOkAsync(file) : default;
        if (kind is "confirm") (await e.PutAsync(token, file.Bytes)).Dispose();
        Task<HttpResponseMessage> Call() => kind switch
        {
            "schema" => e.ApiAsync(HttpMethod.Get, "/schemas/vendas"),
            "token" => e.TokenAsync(file),
            "put" => e.PutAsync(token, file.Bytes),
            _ => e.ConfirmAsync(token.GetProperty("upload_id").GetString()!, file.ConfirmBody),
        };

        using (var tooMany = await Call())
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), tooMany.Headers.RetryAfter?.Delta);
            if (kind != "put") await TestEmulator.ErrorAsync(tooMany, HttpStatusCode.TooManyRequests);
        }
        using (var internalError = await Call()) Assert.Equal(HttpStatusCode.InternalServerError, internalError.StatusCode);
        using (var unavailable = await Call())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), unavailable.Headers.RetryAfter?.Delta);
        }
        using (var works = await Call()) Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        var faulted = (await CallsAsync(e)).Where(c => c.GetProperty("kind").GetString() == kind)
            .Select(c => c.GetProperty("status").GetInt32()).ToList();
        Assert.Equal([429, 500, 503, 200], faulted);
    }

    [Theory]
    [InlineData("schema"), InlineData("token"), InlineData("confirm"), InlineData("put")]
    public async Task A_dropped_connection_gives_no_response_and_changes_nothing(string kind)
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(4);
        var token = kind is "put" or "confirm" ? await e.TokenOkAsync(file) : default;
        if (kind is "confirm") (await e.PutAsync(token, file.Bytes)).Dispose();
        await e.SetFaultsAsync(new { kind, fault = "drop", next = 1 });
        Task<HttpResponseMessage> Call() => kind switch
        {
            "schema" => e.ApiAsync(HttpMethod.Get, "/schemas/vendas"),
            "token" => e.TokenAsync(file),
            "put" => e.PutAsync(token, file.Bytes),
            _ => e.ConfirmAsync(token.GetProperty("upload_id").GetString()!, file.ConfirmBody),
        };

        await Assert.ThrowsAsync<HttpRequestException>(Call);
        var stats = await e.ControlAsync("/stats");
        Assert.Equal(kind is "put" or "confirm" ? 1 : 0, stats.GetProperty("uploads").GetInt32());
        Assert.Equal(0, stats.GetProperty("confirmed_uploads").GetInt32());
        if (kind is "put") Assert.Null(await e.StoredBytesAsync(token.GetProperty("upload_id").GetString()!));

        using var works = await Call();
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        var last = (await CallsAsync(e)).Where(c => c.GetProperty("kind").GetString() == kind).ToList();
        Assert.Equal(JsonValueKind.Null, last[^2].GetProperty("status").ValueKind);
        Assert.StartsWith($"{kind}:drop", last[^2].GetProperty("fault").GetString());
    }

    [Fact]
    public async Task A_put_reset_midway_stores_nothing_and_a_retry_succeeds()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Faults.Add(FaultRule.Parse("put:reset:after_bytes=65536,next=1")));
        var file = TestFile.Make(400, noiseBytes: 1500);
        Assert.True(file.Bytes.Length > 500_000, $"the body should be well past the cut ({file.Bytes.Length} bytes)");
        var token = await e.TokenOkAsync(file);
        var id = token.GetProperty("upload_id").GetString()!;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => e.PutAsync(token, file.Bytes));
        Assert.Null(await e.StoredBytesAsync(id));
        using (var early = await e.ConfirmAsync(id, file.ConfirmBody)) Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        using (var retry = await e.PutAsync(token, file.Bytes)) Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        using (var confirm = await e.ConfirmAsync(id, file.ConfirmBody)) Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(file.Bytes, await e.StoredBytesAsync(id));
    }

    [Fact]
    public async Task A_lost_confirm_response_was_applied_and_the_retried_confirm_counts_once()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Faults.Add(FaultRule.Parse("confirm:lost-response:next=1")));
        var file = TestFile.Make(77);
        var id = (await e.TokenAndPutAsync(file)).GetProperty("upload_id").GetString()!;

        await Assert.ThrowsAsync<HttpRequestException>(() => e.ConfirmAsync(id, file.ConfirmBody));
        var applied = await e.ControlAsync($"/uploads/{id}");
        Assert.Equal("confirmed", applied.GetProperty("status").GetString());

        using var retry = await e.ConfirmAsync(id, file.ConfirmBody);
        var answer = await TestEmulator.JsonAsync(retry, HttpStatusCode.OK);
        Assert.Equal("confirmed", answer.GetProperty("status").GetString());
        Assert.Equal(77, answer.GetProperty("rows").GetInt64());
        var stats = await e.ControlAsync("/stats");
        Assert.Equal(1, stats.GetProperty("confirmed_uploads").GetInt32());
        Assert.Equal(77, stats.GetProperty("confirmed_rows").GetProperty("vendas").GetInt64());
        Assert.Equal(2, (await e.ControlAsync($"/uploads/{id}")).GetProperty("confirm_count").GetInt32());
    }

    [Fact]
    public async Task Lost_token_and_put_responses_took_effect()
    {
        await using var e = await TestEmulator.StartAsync(o =>
        {
            o.Faults.Add(FaultRule.Parse("token:lost-response:next=1"));
            o.Faults.Add(FaultRule.Parse("put:lost-response:next=1"));
        });
        var file = TestFile.Make(8);
        await Assert.ThrowsAsync<HttpRequestException>(() => e.TokenAsync(file));
        var token = await e.TokenOkAsync(file);
        var id = token.GetProperty("upload_id").GetString()!;
        Assert.Equal(2, (await e.ControlAsync($"/uploads/{id}")).GetProperty("tokens_issued").GetInt32());

        await Assert.ThrowsAsync<HttpRequestException>(() => e.PutAsync(token, file.Bytes));
        Assert.Equal(file.Bytes, await e.StoredBytesAsync(id));
        using var confirm = await e.ConfirmAsync(id, file.ConfirmBody);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
    }

    [Fact]
    public async Task A_delayed_answer_trips_a_client_read_timeout()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Faults.Add(FaultRule.Parse("schema:delay:delay_ms=3000,next=1")));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var request = new HttpRequestMessage(HttpMethod.Get, e.Api + "/schemas/vendas");
        request.Headers.Add("X-API-Key", e.ApiKey);
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(request, TestContext.Current.CancellationToken));
        using var works = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas");
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task A_percentage_with_a_seed_fails_the_same_calls_every_run()
    {
        async Task<List<int>> RunAsync()
        {
            await using var e = await TestEmulator.StartAsync();
            await e.ControlAsync("/faults", HttpMethod.Put, new { seed = 1234, rules = new[] { new { kind = "any", fault = "503", percent = 40 } } });
            var statuses = new List<int>();
            for (var i = 0; i < 25; i++)
            {
                using var response = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas");
                statuses.Add((int)response.StatusCode);
            }
            return statuses;
        }
        var first = await RunAsync();
        Assert.Equal(first, await RunAsync());
        Assert.Contains(503, first);
        Assert.Contains(200, first);
    }

    [Fact]
    public async Task Faults_are_changed_and_read_at_run_time()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Seed = 5);
        var plan = await e.ControlAsync("/faults", HttpMethod.Post, new { kind = "schema", fault = "500", next = 2 });
        Assert.Equal(5, plan.GetProperty("seed").GetInt32());
        Assert.Equal(2, plan.GetProperty("rules")[0].GetProperty("remaining").GetInt32());
        using (var failed = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas")) Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        plan = await e.ControlAsync("/faults");
        Assert.Equal(1, plan.GetProperty("rules")[0].GetProperty("remaining").GetInt32());
        Assert.Equal(1, plan.GetProperty("rules")[0].GetProperty("fired").GetInt32());

        await e.ControlAsync("/faults", HttpMethod.Delete);
        using (var works = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas")) Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        using var bad = await e.Http.PutAsync(e.Control + "/faults",
            new StringContent("""{"rules":[{"kind":"schema","fault":"reset"}]}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.Contains("put calls only", await TestEmulator.ErrorAsync(bad, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_wrong_key_is_401_whatever_the_fault_plan_says()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Faults.Add(FaultRule.Parse("any:drop")));
        using var response = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas", apiKey: "wrong");
        await TestEmulator.ErrorAsync(response, HttpStatusCode.Unauthorized);
    }
}
