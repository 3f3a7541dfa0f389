namespace DataSyncPS.Tests;

/// <summary>
/// Where the real test servers are (started by .ci/servers.sh), and the rule for a missing one:
/// outside CI the test is skipped with the reason; under CI=true it fails, so a broken CI setup can
/// never pass green.
/// </summary>
public static class TestEnvironment
{
    public static readonly string PostgreSql =
        Environment.GetEnvironmentVariable("DATASYNC_TEST_PG") ?? "Host=127.0.0.1;Port=5432;Username=datasync;Password=datasync;Database=datasync_test";

    public static readonly string MariaDb =
        Environment.GetEnvironmentVariable("DATASYNC_TEST_MARIADB") ?? "Server=127.0.0.1;Port=3306;User ID=datasync;Password=datasync;Database=datasync_test";

    /// <summary>s3rver, the S3 store behind the DataSnap emulator (.ci/servers.sh starts it on 127.0.0.1:4568).</summary>
    public static readonly string S3 = Environment.GetEnvironmentVariable("DATASYNC_TEST_S3") ?? "http://127.0.0.1:4568";

    public static readonly string S3AccessKey = Environment.GetEnvironmentVariable("DATASYNC_TEST_S3_ACCESS_KEY") ?? "S3RVER";

    public static readonly string S3SecretKey = Environment.GetEnvironmentVariable("DATASYNC_TEST_S3_SECRET_KEY") ?? "S3RVER";

    /// <summary>Opt-in: SQL Server cannot run here.</summary>
    public static readonly string? SqlServer = Environment.GetEnvironmentVariable("DATASYNC_TEST_SQLSERVER");

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository's sibling shared/ folder (seeds, benchmark data, real Laravel logs).</summary>
    public static string SharedDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared");
                if (File.Exists(Path.Combine(candidate, "DESIGN.md"))) return candidate;
            }
            throw new DirectoryNotFoundException("The shared/ folder beside the repository was not found.");
        }
    }

    public static void ServerMissing(string server, string problem)
    {
        if (UnderCi) Assert.Fail($"{server} test server is not available under CI: {problem}");
        Assert.Skip($"{server} test server is not available ({problem}); run .ci/servers.sh to start it.");
    }
}
