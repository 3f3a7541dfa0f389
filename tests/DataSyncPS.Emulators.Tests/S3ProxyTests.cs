using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DataSyncPS.Emulators.Tests.Infrastructure;

namespace DataSyncPS.Emulators.Tests;

/// <summary>
/// The S3 proxy refuses what S3 refuses and s3rver lets through; the last two tests pin down what
/// s3rver alone does (so a new s3rver that changes it is noticed).
/// </summary>
public sealed class S3ProxyTests
{
    private static async Task<(TestEmulator E, TestFile File, JsonElement Token)> TokenAsync()
    {
        var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(3);
        return (e, file, await e.TokenOkAsync(file));
    }

    private static async Task<string> S3ErrorCodeAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return System.Xml.Linq.XDocument.Parse(body).Root!.Element("Code")!.Value;
    }

    private static string Url(JsonElement token) => token.GetProperty("upload_url").GetString()!;

    [Fact]
    public async Task A_tampered_signature_is_403_SignatureDoesNotMatch()
    {
        var (e, file, token) = await TokenAsync();
        await using var _ = e;
        var url = Url(token);
        var signature = url[(url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + 16)..];
        var tampered = url.Replace(signature, (signature[0] == '0' ? "1" : "0") + signature[1..]);
        var request = new HttpRequestMessage(HttpMethod.Put, tampered) { Content = new ByteArrayContent(file.Bytes) };
        request.Content.Headers.ContentType = new("application/gzip");
        using var response = await e.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("SignatureDoesNotMatch", await S3ErrorCodeAsync(response, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_put_without_the_signed_Content_Type_is_403()
    {
        var (e, file, token) = await TokenAsync();
        await using var _ = e;
        using var response = await e.Http.PutAsync(Url(token), new ByteArrayContent(file.Bytes), TestContext.Current.CancellationToken);
        Assert.Equal("SignatureDoesNotMatch", await S3ErrorCodeAsync(response, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_put_without_the_signature_is_403()
    {
        var (e, file, token) = await TokenAsync();
        await using var _ = e;
        var request = new HttpRequestMessage(HttpMethod.Put, Url(token).Split('?')[0]) { Content = new ByteArrayContent(file.Bytes) };
        request.Content.Headers.ContentType = new("application/gzip");
        using var response = await e.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("AccessDenied", await S3ErrorCodeAsync(response, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_chunked_put_is_501_and_stores_nothing()
    {
        var (e, file, token) = await TokenAsync();
        await using var _ = e;
        var request = new HttpRequestMessage(HttpMethod.Put, Url(token)) { Content = new StreamContent(new MemoryStream(file.Bytes)) };
        request.Content.Headers.ContentType = new("application/gzip");
        request.Headers.TransferEncodingChunked = true;
        using var response = await e.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("NotImplemented", await S3ErrorCodeAsync(response, HttpStatusCode.NotImplemented));
        Assert.Null(await e.StoredBytesAsync(token.GetProperty("upload_id").GetString()!));
    }

    [Fact]
    public async Task A_put_without_Content_Length_is_411()
    {
        var (e, _, token) = await TokenAsync();
        await using var __ = e;
        var url = new Uri(Url(token));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var head = $"PUT {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/gzip\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
        var answer = await new StreamReader(stream).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("HTTP/1.1 411", answer);
        Assert.Contains("MissingContentLength", answer);
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_stores_nothing()
    {
        var (e, file, token) = await TokenAsync();
        await using var _ = e;
        var url = new Uri(Url(token));
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(url.Host, url.Port, TestContext.Current.CancellationToken);
            var stream = tcp.GetStream();
            var head = $"PUT {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/gzip\r\nContent-Length: {file.Bytes.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
            await stream.WriteAsync(file.Bytes.AsMemory(0, file.Bytes.Length / 2), TestContext.Current.CancellationToken);
        }
        var id = token.GetProperty("upload_id").GetString()!;
        for (var i = 0; i < 50 && !(await e.ControlAsync("/calls")).EnumerateArray().Any(c => c.GetProperty("kind").GetString() == "put"); i++)
            await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Null(await e.StoredBytesAsync(id));
    }

    [Fact]
    public async Task S3rver_alone_accepts_forged_and_anonymous_puts()
    {
        S3rver.Require();
        await using var e = await TestEmulator.StartAsync(o => o.UseS3Proxy = false);
        var file = TestFile.Make(3);
        var token = await e.TokenOkAsync(file);
        var url = Url(token);
        Assert.StartsWith(TestEnvironment.S3.TrimEnd('/'), url);

        // A signature of zeros and no Content-Type (which the URL signed): s3rver stores it anyway.
        var signature = url[(url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + 16)..];
        using var forged = await e.Http.PutAsync(url.Replace(signature, new string('0', 64)), new ByteArrayContent(file.Bytes), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);

        // An anonymous PUT (no signature at all) too.
        using var anonymous = await e.Http.PutAsync(url.Split('?')[0], new ByteArrayContent(file.Bytes), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }
}
