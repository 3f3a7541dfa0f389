using System.Data.Common;
using MySqlConnector;
using Npgsql;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>Databases of a Copy-DbStructure test's own on either engine (the test login's database name
/// plus a suffix), created fresh and dropped afterwards.</summary>
public sealed class CopyDatabases : IDisposable
{
    private readonly List<string> _made = [];

    public CopyDatabases(string provider)
    {
        Provider = provider;
        if (IsPostgreSql) ModuleServers.RequirePostgreSql();
        else ModuleServers.RequireMariaDb();
    }

    public string Provider { get; }

    private bool IsPostgreSql => Provider == "PostgreSql";

    private string Admin => IsPostgreSql ? TestEnvironment.PostgreSql : TestEnvironment.MariaDb;

    /// <summary>Creates (again) a database named after the test login's plus <paramref name="suffix"/>; its connection string.</summary>
    public string Fresh(string suffix)
    {
        var builder = Builder(Admin);
        var name = builder["Database"] + "_" + suffix;
        var q = IsPostgreSql ? "\"" + name + "\"" : "`" + name + "`";
        Execute(Admin, $"DROP DATABASE IF EXISTS {q}" + (IsPostgreSql ? " WITH (FORCE)" : ""));
        Execute(Admin, $"CREATE DATABASE {q}");
        _made.Add(q);
        builder["Database"] = name;
        return builder.ConnectionString;
    }

    public void Execute(string connectionString, params string[] statements)
    {
        using var c = Open(connectionString);
        foreach (var sql in statements)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.CommandTimeout = 300;
            cmd.ExecuteNonQuery();
        }
    }

    public object? Scalar(string connectionString, string sql)
    {
        using var c = Open(connectionString);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private DbConnection Open(string connectionString)
    {
        DbConnection c = IsPostgreSql ? new NpgsqlConnection(connectionString) : new MySqlConnection(connectionString);
        c.Open();
        return c;
    }

    private DbConnectionStringBuilder Builder(string connectionString) =>
        IsPostgreSql ? new NpgsqlConnectionStringBuilder(connectionString) : new MySqlConnectionStringBuilder(connectionString);

    public void Dispose()
    {
        if (IsPostgreSql) NpgsqlConnection.ClearAllPools();
        else MySqlConnection.ClearAllPools();
        foreach (var q in _made)
            try { Execute(Admin, $"DROP DATABASE IF EXISTS {q}" + (IsPostgreSql ? " WITH (FORCE)" : "")); } catch (DbException) { }
    }
}
