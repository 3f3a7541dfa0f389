using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.Tests;

/// <summary>The emulator's own SigV4 (for expired URLs and the proxy's checks) agrees with the AWS SDK. No s3rver needed.</summary>
public sealed class SigV4Tests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:45678");

    private static string SdkUrl(string key, TimeSpan expiry)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = Endpoint.ToString(), ForcePathStyle = true, UseHttp = true, AuthenticationRegion = "us-east-1",
        });
        return client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = "datasnap", Key = key, Verb = HttpVerb.PUT, Protocol = Protocol.HTTP,
            Expires = DateTime.UtcNow.Add(expiry), ContentType = "application/gzip",
        });
    }

    private static Dictionary<string, string> Query(string url) =>
        new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static SigV4.Failure? Verify(string url, string? contentType, DateTime now, string method = "PUT")
    {
        var uri = new Uri(url);
        return SigV4.Verify(method, uri.AbsolutePath, uri.Query.TrimStart('?'),
            name => name switch { "host" => uri.Authority, "content-type" => contentType, _ => null },
            key => key == "S3RVER" ? "S3RVER" : null, now);
    }

    [Theory]
    [InlineData("vendas/abc/vendas-000001.jsonl.gz")]
    [InlineData("app-logs/x/a b+c~d(é).jsonl.gz")]
    public void Presign_gives_the_sdk_signature_for_the_same_instant(string key)
    {
        var sdk = SdkUrl(key, TimeSpan.FromMinutes(15));
        var q = Query(sdk);
        var signedAt = DateTime.ParseExact(q["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", null,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        var ours = SigV4.Presign("PUT", Endpoint, "datasnap", key, new Dictionary<string, string> { ["content-type"] = "application/gzip" },
            "S3RVER", "S3RVER", "us-east-1", signedAt, int.Parse(q["X-Amz-Expires"]));
        Assert.Equal(new Uri(sdk).AbsolutePath, new Uri(ours).AbsolutePath);
        Assert.Equal(q.OrderBy(p => p.Key), Query(ours).OrderBy(p => p.Key));
    }

    [Fact]
    public void Verify_accepts_the_sdk_url_and_refuses_what_s3_refuses()
    {
        var url = SdkUrl("vendas/1/f.jsonl.gz", TimeSpan.FromMinutes(15));
        var now = DateTime.UtcNow;
        Assert.Null(Verify(url, "application/gzip", now));
        Assert.Equal("SignatureDoesNotMatch", Verify(url, null, now)?.Code);
        Assert.Equal("SignatureDoesNotMatch", Verify(url, "application/json", now)?.Code);
        Assert.Equal("SignatureDoesNotMatch", Verify(url, "application/gzip", now, method: "GET")?.Code);
        Assert.Equal("SignatureDoesNotMatch", Verify(url.Replace("f.jsonl.gz", "g.jsonl.gz"), "application/gzip", now)?.Code);
        Assert.Equal("Request has expired", Verify(url, "application/gzip", now.AddMinutes(16))?.Message);
        Assert.Equal("InvalidAccessKeyId", Verify(url.Replace("S3RVER%2F", "OTHER%2F"), "application/gzip", now)?.Code);
        Assert.Equal("AccessDenied", Verify(url.Split('?')[0], "application/gzip", now)?.Code);
        Assert.Equal("AuthorizationQueryParametersError", Verify(url.Replace("X-Amz-Expires=900", "X-Amz-Expires=-5"), "application/gzip", now)?.Code);
    }

    [Fact]
    public void An_expired_url_looks_like_one_kept_too_long()
    {
        var signedAt = DateTime.UtcNow.AddMinutes(-20);
        var url = SigV4.Presign("PUT", Endpoint, "datasnap", "k", new Dictionary<string, string>(), "S3RVER", "S3RVER", "us-east-1", signedAt, 900);
        Assert.Equal("900", Query(url)["X-Amz-Expires"]);
        Assert.True(S3Presigner.ExpiryOf(url) < DateTimeOffset.UtcNow);
        Assert.Equal("Request has expired", Verify(url, null, DateTime.UtcNow)?.Message);
        Assert.Null(Verify(url, null, signedAt.AddMinutes(1)));
    }
}
