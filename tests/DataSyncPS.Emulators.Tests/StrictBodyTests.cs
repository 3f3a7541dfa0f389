using System.Net;
using System.Net.Http.Json;
using DataSyncPS.Emulators.Tests.Infrastructure;

namespace DataSyncPS.Emulators.Tests;

/// <summary>Strict mode (DESIGN contract 8): an API body without Content-Length is refused with 411, as a
/// server that reads bodies by length (Python's http.server, some proxies) would see it empty.</summary>
public sealed class StrictBodyTests
{
    private const string TokenPath = "/schemas/vendas/generate-upload-token";

    /// <summary>JsonContent has no length of its own, so HttpClient sends it chunked.</summary>
    private static Task<HttpResponseMessage> ChunkedAsync(TestEmulator e, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, e.Api + path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", e.ApiKey);
        return e.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_chunked_token_or_confirm_is_411_with_an_error_and_logged()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(3);
        using (var token = await ChunkedAsync(e, TokenPath, file.TokenBody))
            Assert.Contains("Content-Length", await TestEmulator.ErrorAsync(token, HttpStatusCode.LengthRequired));
        using (var confirm = await ChunkedAsync(e, "/schemas/vendas/uploads/x/confirm", file.ConfirmBody))
            Assert.Contains("Transfer-Encoding: chunked", await TestEmulator.ErrorAsync(confirm, HttpStatusCode.LengthRequired));

        var calls = (await e.ControlAsync("/calls")).EnumerateArray().ToList();
        Assert.Equal(["token:411", "confirm:411"], calls.Select(c => $"{c.GetProperty("kind").GetString()}:{c.GetProperty("status").GetInt32()}"));
        Assert.Equal(0, (await e.ControlAsync("/stats")).GetProperty("uploads").GetInt32());

        // The same call with Content-Length goes through.
        await e.TokenOkAsync(file);
    }

    [Fact]
    public async Task Without_strict_mode_a_chunked_body_is_read()
    {
        await using var e = await TestEmulator.StartAsync(o => o.RequireContentLength = false);
        using var token = await ChunkedAsync(e, TokenPath, TestFile.Make(3).TokenBody);
        await TestEmulator.JsonAsync(token, HttpStatusCode.OK);
    }
}
