using System.Net;
using DataSyncPS.Engine.DataSnap;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>The key check before saving: GET {api}/schemas/{slug} with X-API-Key, and each answer's error.</summary>
public class DataSnapKeyValidatorTests
{
    private const string Key = "dsk_live_Canary_1234567890";
    private static readonly Uri Api = new("https://api.datasnap.example/v1/");

    [Fact]
    public async Task A_good_key_gets_the_schema_name_from_a_GET_with_the_key_header()
    {
        HttpRequestMessage? sent = null;
        var validator = Validator(r => { sent = r; return Answer(HttpStatusCode.OK, """{"slug": "vendas loja", "name": "Vendas da loja"}"""); });
        Assert.Equal("Vendas da loja", await validator.ValidateAsync(Api, "vendas loja", Key, TestContext.Current.CancellationToken));
        Assert.Equal(HttpMethod.Get, sent!.Method);
        Assert.Equal("https://api.datasnap.example/v1/schemas/vendas%20loja", sent.RequestUri!.AbsoluteUri);
        Assert.Equal([Key], sent.Headers.GetValues("X-API-Key"));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, SyncErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.NotFound, SyncErrorKind.SchemaNotFound)]
    [InlineData(HttpStatusCode.InternalServerError, SyncErrorKind.ApiRequestFailed)]
    public async Task Each_refusal_has_its_own_kind_and_the_key_never_reaches_the_message(HttpStatusCode status, SyncErrorKind kind)
    {
        // A server that quotes the key it was sent: the message must not repeat it.
        var validator = Validator(_ => Answer(status, $$"""{"error": "key {{Key}} is not valid here"}"""));
        var error = await Assert.ThrowsAsync<SyncException>(() => validator.ValidateAsync(new Uri("https://user:pw@api.datasnap.example/v1"), "vendas", Key, TestContext.Current.CancellationToken));
        Assert.Equal(kind, error.Kind);
        Assert.Contains("https://api.datasnap.example/v1/schemas/vendas", error.Message);
        Assert.Contains("is not valid here", error.Message);
        Assert.DoesNotContain(Key, error.ToString());
        Assert.DoesNotContain("pw@", error.ToString());
    }

    [Fact]
    public async Task An_unreachable_api_is_HostUnreachable()
    {
        var validator = Validator(_ => throw new HttpRequestException("Connection refused (127.0.0.1:1)"));
        var error = await Assert.ThrowsAsync<SyncException>(() => validator.ValidateAsync(Api, "vendas", Key, TestContext.Current.CancellationToken));
        Assert.Equal(SyncErrorKind.HostUnreachable, error.Kind);
        Assert.Contains("Connection refused", error.Message);
    }

    private static DataSnapKeyValidator Validator(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new DataSyncPS.Engine.Http.ResilientHttp(new DataSyncPS.Engine.Http.HttpPolicyOptions { MaxAttempts = 1 }, new StubHandler(answer)));

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
