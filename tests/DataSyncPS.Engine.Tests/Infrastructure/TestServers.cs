using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Infrastructure;

/// <summary>The real servers of <see cref="DataSyncPS.Tests.TestEnvironment"/>, probed once per engine.</summary>
public static class TestServers
{
    public static string PostgreSql => DataSyncPS.Tests.TestEnvironment.PostgreSql;
    public static string MariaDb => DataSyncPS.Tests.TestEnvironment.MariaDb;
    public static string? SqlServer => DataSyncPS.Tests.TestEnvironment.SqlServer;
    public static bool UnderCi => DataSyncPS.Tests.TestEnvironment.UnderCi;

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
        if (problem is not null) DataSyncPS.Tests.TestEnvironment.ServerMissing(kind.ToString(), problem);
    }

    // The answer is kept for the whole run, so one slow connect on a loaded machine must not count as a
    // missing server: a refused port fails at once each try, a timeout gets two more chances.
    private static string? Probe(ProviderKind kind)
    {
        string? problem = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var dialect = SqlDialect.For(kind);
                using var c = dialect.Factory.CreateConnection()!;
                c.ConnectionString = dialect.BuildConnectionString(new ConnectionSpec { Provider = kind, ConnectionString = ConnectionString(kind), ConnectTimeoutSeconds = 15 });
                c.Open();
                return null;
            }
            catch (Exception ex)
            {
                problem = ex.GetBaseException().Message;
            }
        }
        return problem;
    }
}
