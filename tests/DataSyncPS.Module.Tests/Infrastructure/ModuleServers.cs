using System.Net.Sockets;
using Npgsql;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>Probes and prepares the real servers for module tests (skip outside CI, fail under it).</summary>
public static class ModuleServers
{
    /// <summary>A role whose password is distinctive, so a test can grep output for it.</summary>
    public const string SecretUser = "datasync_secret";
    public const string SecretPassword = "Zq9-Leak-Canary-4471";

    private static string? _pgProblem;
    private static bool _pgProbed;

    public static void RequirePostgreSql()
    {
        lock (typeof(ModuleServers))
        {
            if (!_pgProbed)
            {
                _pgProbed = true;
                try
                {
                    using var c = new NpgsqlConnection(TestEnvironment.PostgreSql + ";Timeout=5");
                    c.Open();
                    Execute(c, $"""
                        DO $$ BEGIN
                          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SecretUser}') THEN
                            CREATE ROLE {SecretUser} LOGIN PASSWORD '{SecretPassword}';
                          END IF;
                        END $$;
                        GRANT CONNECT ON DATABASE datasync_test TO {SecretUser};
                        """);
                }
                catch (Exception ex) { _pgProblem = ex.GetBaseException().Message; }
            }
        }
        if (_pgProblem is not null) TestEnvironment.ServerMissing("PostgreSQL", _pgProblem);
    }

    private static string? _mariaDbProblem;
    private static bool _mariaDbProbed;

    /// <summary>MariaDB running is not enough: .ci/servers.sh also makes the test login, and without
    /// it every login fails, which is no product failure (skip outside CI, fail under it).</summary>
    public static void RequireMariaDb()
    {
        lock (typeof(ModuleServers))
        {
            if (!_mariaDbProbed)
            {
                _mariaDbProbed = true;
                _mariaDbProblem = ProbeMariaDb();
            }
        }
        if (_mariaDbProblem is not null) TestEnvironment.ServerMissing("MariaDB", _mariaDbProblem);
    }

    /// <summary>User, password and database of the MariaDB test login (DATASYNC_TEST_MARIADB).</summary>
    public static (string User, string Password, string Database) MariaDbLogin
    {
        get
        {
            var b = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = TestEnvironment.MariaDb };
            string Value(params string[] keys) => keys.Select(k => b.TryGetValue(k, out var v) ? Convert.ToString(v) : null).FirstOrDefault(v => v is not null) ?? "";
            return (Value("User ID", "UserID", "User", "Uid", "Username"), Value("Password", "Pwd"), Value("Database", "Initial Catalog"));
        }
    }

    private static string? ProbeMariaDb()
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect("127.0.0.1", 3306);
        }
        catch (SocketException ex) { return ex.Message; }
        using var rs = new ModuleRunspace();
        var login = rs.Run("Connect-SyncSource -Provider MariaDb -ConnectionString $cs -ConnectTimeout 5", new() { ["cs"] = TestEnvironment.MariaDb });
        return login.Errors.Count == 0 ? null : $"the test login does not work: {login.Errors[0]}";
    }

    /// <summary>s3rver, the store behind the DataSnap emulator.</summary>
    public static void RequireS3()
    {
        var s3 = new Uri(TestEnvironment.S3);
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect(s3.Host, s3.Port);
        }
        catch (SocketException ex) { TestEnvironment.ServerMissing("s3rver", ex.Message); }
    }

    /// <summary>Runs SQL on the PostgreSQL test database (table setup).</summary>
    public static void PostgreSql(string sql)
    {
        using var c = new NpgsqlConnection(TestEnvironment.PostgreSql);
        c.Open();
        Execute(c, sql);
    }

    public static object? PostgreSqlScalar(string sql)
    {
        using var c = new NpgsqlConnection(TestEnvironment.PostgreSql);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    /// <summary>Runs SQL on the MariaDB test database (table setup).</summary>
    public static void MariaDb(string sql)
    {
        using var c = new MySqlConnector.MySqlConnection(TestEnvironment.MariaDb);
        c.Open();
        using var cmd = new MySqlConnector.MySqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private static void Execute(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
