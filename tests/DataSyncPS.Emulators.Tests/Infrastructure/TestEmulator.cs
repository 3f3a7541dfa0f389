using System.Net;
using System.Text;
using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.Tests.Infrastructure;

/// <summary>
/// One DataSnap emulator on free ports against the test s3rver, and a plain HttpClient to talk to it
/// the way any client of the contract would. Every request closes its connection, so a dropped or
/// aborted call is seen as such (SocketsHttpHandler silently retries some failures on reused ones).
/// Disposing deletes what the test stored.
/// </summary>
public sealed class TestEmulator : IAsyncDisposable
{
    public const string Bucket = "datasnap-tests";

    private TestEmulator(DataSnapEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.ConnectionClose = true;
    }

    public DataSnapEmulator Emulator { get; }
    public HttpClient Http { get; }
    public string Api => Emulator.ApiBaseUrl.ToString().TrimEnd('/');
    public string Control => Emulator.ControlUrl.ToString().TrimEnd('/');
    public string ApiKey => Emulator.ApiKey;

    public static async Task<TestEmulator> StartAsync(Action<DataSnapEmulatorOptions>? configure = null)
    {
        S3rver.Require();
        var options = new DataSnapEmulatorOptions
        {
            S3Endpoint = new Uri(TestEnvironment.S3),
            S3AccessKey = TestEnvironment.S3AccessKey,
            S3SecretKey = TestEnvironment.S3SecretKey,
            Bucket = Bucket,
            UrlExpiry = TimeSpan.FromMinutes(2),
        };
        configure?.Invoke(options);
        return new TestEmulator(await DataSnapEmulator.StartAsync(options, TestContext.Current.CancellationToken));
    }

    /// <summary>An API request with the emulator's key (or <paramref name="apiKey"/>; "" sends none).</summary>
    public Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, object? body = null, string? apiKey = null)
    {
        var request = new HttpRequestMessage(method, Api + path);
        apiKey ??= ApiKey;
        if (apiKey.Length > 0) request.Headers.Add("X-API-Key", apiKey);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> TokenAsync(TestFile file, string slug = "vendas") =>
        ApiAsync(HttpMethod.Post, $"/schemas/{slug}/generate-upload-token", file.TokenBody);

    /// <summary>Asks for a token and expects 200.</summary>
    public async Task<JsonElement> TokenOkAsync(TestFile file, string slug = "vendas")
    {
        using var response = await TokenAsync(file, slug);
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>PUTs the bytes to the upload URL with the headers the token gave, Content-Length set.</summary>
    public Task<HttpResponseMessage> PutAsync(JsonElement token, byte[] bytes, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, token.GetProperty("upload_url").GetString());
        request.Content = new ByteArrayContent(bytes);
        foreach (var header in token.GetProperty("headers").EnumerateObject())
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
                request.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        return (client ?? Http).SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> ConfirmAsync(string uploadId, object body, string slug = "vendas") =>
        ApiAsync(HttpMethod.Post, $"/schemas/{slug}/uploads/{uploadId}/confirm", body);

    /// <summary>Token, PUT (200 expected); returns the token.</summary>
    public async Task<JsonElement> TokenAndPutAsync(TestFile file, string slug = "vendas")
    {
        var token = await TokenOkAsync(file, slug);
        using var put = await PutAsync(token, file.Bytes);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return token;
    }

    /// <summary>A test-only endpoint, parsed.</summary>
    public async Task<JsonElement> ControlAsync(string path, HttpMethod? method = null, object? body = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, Control + path);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Replaces the fault plan through <c>PUT /_emulator/faults</c>.</summary>
    public Task<JsonElement> SetFaultsAsync(params object[] rules) => ControlAsync("/faults", HttpMethod.Put, new { rules });

    public async Task<byte[]?> StoredBytesAsync(string uploadId)
    {
        using var response = await Http.GetAsync($"{Control}/uploads/{uploadId}/content", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Asserts the status and a JSON body, and returns the body.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the contract's error shape, <c>{"error": "..."}</c>, and returns the message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await JsonAsync(response, expected);
        Assert.Equal(["error"], body.EnumerateObject().Select(p => p.Name));
        return body.GetProperty("error").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        try { await Emulator.ResetAsync(CancellationToken.None); }
        finally
        {
            await Emulator.DisposeAsync();
            Http.Dispose();
        }
    }
}
