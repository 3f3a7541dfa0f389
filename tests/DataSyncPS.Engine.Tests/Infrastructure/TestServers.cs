using System.Net;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Infrastructure;

/// <summary>
/// The real servers the tests use (started by .ci/servers.sh). Outside CI a missing server skips the
/// test with the reason; under CI=true it fails, so a broken CI setup can never pass green.
/// </summary>
public static class TestServers
{
    public static readonly string PostgreSql =
        Environment.GetEnvironmentVariable("DATASYNC_TEST_PG") ?? "Host=127.0.0.1;Port=5432;Username=datasync;Password=datasync;Database=datasync_test";

    public static readonly string MariaDb =
        Environment.GetEnvironmentVariable("DATASYNC_TEST_MARIADB") ?? "Server=127.0.0.1;Port=3306;User ID=datasync;Password=datasync;Database=datasync_test";

    /// <summary>Opt-in: SQL Server cannot run here.</summary>
    public static readonly string? SqlServer = Environment.GetEnvironmentVariable("DATASYNC_TEST_SQLSERVER");

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ConnectionString(ProviderKind kind) => kind switch
    {
        ProviderKind.PostgreSql => PostgreSql,
        ProviderKind.MariaDb or ProviderKind.MySql => MariaDb,
        ProviderKind.SqlServer => SqlServer ?? throw new InvalidOperationException("DATASYNC_TEST_SQLSERVER is not set."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly Dictionary<ProviderKind, string?> Problems = new();

    /// <summary>Skips (or, under CI, fails) when the server cannot be reached.</summary>
    public static void Require(ProviderKind kind)
    {
        string? problem;
        lock (Problems)
        {
            if (!Problems.TryGetValue(kind, out problem))
            {
                problem = Probe(kind);
                Problems[kind] = problem;
            }
        }
        if (problem is null) return;
        if (UnderCi) Assert.Fail($"{kind} test server is not available under CI: {problem}");
        Assert.Skip($"{kind} test server is not available ({problem}); run .ci/servers.sh to start it.");
    }

    private static string? Probe(ProviderKind kind)
    {
        try
        {
            var dialect = SqlDialect.For(kind);
            using var c = dialect.Factory.CreateConnection()!;
            c.ConnectionString = dialect.BuildConnectionString(new ConnectionSpec { Provider = kind, ConnectionString = ConnectionString(kind), ConnectTimeoutSeconds = 5 });
            c.Open();
            return null;
        }
        catch (Exception ex)
        {
            return ex.GetBaseException().Message;
        }
    }

    public static NetworkCredential Credential(ProviderKind kind) => new("datasync", "datasync");
}
