using System.Data.Common;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>Databases of a test's own on the real servers: named after the test login's database plus a
/// suffix (datasync_h10_cmp_prod), dropped and created fresh, so prod and sandbox pairs never collide.</summary>
public static class SchemaDatabases
{
    public static async Task<SyncSource> FreshAsync(ProviderKind kind, string suffix)
    {
        TestServers.Require(kind);
        var dialect = SqlDialect.For(kind);
        var admin = TestServers.ConnectionString(kind);
        var name = dialect.Describe(dialect.BuildConnectionString(new ConnectionSpec { Provider = kind, ConnectionString = admin })).Database + "_" + suffix;
        await using (var c = dialect.Factory.CreateConnection()!)
        {
            c.ConnectionString = admin;
            await c.OpenAsync();
            await ExecAsync(c, $"DROP DATABASE IF EXISTS {dialect.QuoteIdentifier(name)}" + (kind == ProviderKind.PostgreSql ? " WITH (FORCE)" : ""));
            await ExecAsync(c, $"CREATE DATABASE {dialect.QuoteIdentifier(name)}");
        }
        return await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = kind, ConnectionString = admin, Database = name }, test: true, default);
    }

    public static async Task ExecAsync(SyncSource source, params string[] statements)
    {
        await using var c = await SourceConnector.OpenAsync(source, default);
        foreach (var s in statements) await ExecAsync(c, s);
    }

    public static async Task<object?> ScalarAsync(SyncSource source, string sql)
    {
        await using var c = await SourceConnector.OpenAsync(source, default);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var v = await cmd.ExecuteScalarAsync();
        return v is DBNull ? null : v;
    }

    private static async Task ExecAsync(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
