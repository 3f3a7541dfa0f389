namespace DataSyncPS.Emulators.Tests.Infrastructure;

/// <summary>The s3rver of <see cref="TestEnvironment.S3"/>, probed once per test run.</summary>
public static class S3rver
{
    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>Skips (or, under CI, fails) when s3rver does not answer like an S3 server.</summary>
    public static void Require()
    {
        if (Problem.Value is { } problem) TestEnvironment.ServerMissing("s3rver", problem);
    }

    private static string? Probe()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var body = http.GetStringAsync(TestEnvironment.S3).GetAwaiter().GetResult();
            return body.Contains("ListAllMyBucketsResult", StringComparison.Ordinal)
                ? null
                : $"{TestEnvironment.S3} answered, but not like an S3 server";
        }
        catch (Exception e)
        {
            return $"{TestEnvironment.S3}: {e.GetBaseException().Message}";
        }
    }
}
