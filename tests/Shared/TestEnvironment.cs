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

    /// <summary>maildev (.ci/servers.sh): SMTP on 127.0.0.1:1025, its HTTP API on 1080.</summary>
    public static readonly string SmtpHost = Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_HOST") ?? "127.0.0.1";

    public static readonly int SmtpPort = int.TryParse(Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_PORT"), out var p) ? p : 1025;

    public static readonly string MailApi = Environment.GetEnvironmentVariable("DATASYNC_TEST_MAIL_API") ?? "http://127.0.0.1:1080";

    /// <summary>smtp4dev (.ci/servers.sh), twice, demanding TLS and a login: STARTTLS on 1587 (API 1588),
    /// implicit TLS on 1465 (API 1466), with a self-signed certificate.</summary>
    public static readonly int SmtpStartTlsPort = int.TryParse(Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_STARTTLS_PORT"), out var st) ? st : 1587;

    public static readonly string SmtpStartTlsApi = Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_STARTTLS_API") ?? "http://127.0.0.1:1588";

    public static readonly int SmtpImplicitTlsPort = int.TryParse(Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_IMPLICIT_TLS_PORT"), out var it) ? it : 1465;

    public static readonly string SmtpImplicitTlsApi = Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_IMPLICIT_TLS_API") ?? "http://127.0.0.1:1466";

    public static readonly string SmtpTlsCertificate = Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_TLS_CERT") ?? "/var/lib/datasync-smtp-tls/cert.pem";

    public static readonly string SmtpUser = Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_USER") ?? "datasync-mail";

    public static readonly string SmtpPassword = Environment.GetEnvironmentVariable("DATASYNC_TEST_SMTP_PASSWORD") ?? "mail-Secret-42";

    /// <summary>Opt-in: SQL Server cannot run here.</summary>
    public static readonly string? SqlServer = Environment.GetEnvironmentVariable("DATASYNC_TEST_SQLSERVER");

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A file or folder under the shared/ folder beside the repository (seeds, benchmark data, real
    /// Laravel logs), or <see cref="SharedMissing"/> when it is not there.</summary>
    public static string SharedPath(params string[] parts)
    {
        var path = Shared.Value is null ? null : Path.Combine([Shared.Value, .. parts]);
        if (path is null || !(File.Exists(path) || Directory.Exists(path)))
            SharedMissing(Path.Combine(["..", "shared", .. parts]));
        return path!;
    }

    private static readonly Lazy<string?> Shared = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "DataSyncPS.sln"))) continue;
            var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            return Directory.Exists(shared) ? shared : null;
        }
        return null;
    });

    /// <summary>The rule for the shared samples, as for servers: outside CI a test that needs them is
    /// skipped with the reason (a clone from a public repository does not have them); CI always has
    /// them, so there it fails.</summary>
    public static void SharedMissing(string what)
    {
        if (UnderCi) Assert.Fail($"{what} is not there under CI: the shared samples must sit beside the repository.");
        Assert.Skip($"{what} is not there (the shared samples beside the repository; a public clone has none).");
    }

    public static void ServerMissing(string server, string problem)
    {
        if (UnderCi) Assert.Fail($"{server} test server is not available under CI: {problem}");
        Assert.Skip($"{server} test server is not available ({problem}); run .ci/servers.sh to start it.");
    }
}
