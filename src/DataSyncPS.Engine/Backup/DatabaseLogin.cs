using MySqlConnector;
using Npgsql;

namespace DataSyncPS.Engine.Backup;

/// <summary>Where and as whom a tool connects, read from a source's connection string. The password
/// leaves this object only into a tool's environment or a 0600 option file.</summary>
internal sealed class DatabaseLogin
{
    public required ProviderKind Engine { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public required string Database { get; init; }
    /// <summary>PostgreSQL sslmode / MySQL ssl-mode words, when the connection string set one.</summary>
    public string? SslMode { get; init; }

    public static DatabaseLogin From(SyncSource source, string? database = null)
    {
        var cs = source.ConnectionString ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"The {source.Provider} source '{source.Name}' is not a database server.");
        switch (source.Provider)
        {
            case ProviderKind.PostgreSql:
            {
                var b = new NpgsqlConnectionStringBuilder(cs);
                return new DatabaseLogin
                {
                    Engine = source.Provider, Host = b.Host ?? "localhost", Port = b.Port, User = b.Username, Password = b.Password,
                    Database = database ?? b.Database ?? "postgres",
                    SslMode = b.SslMode switch { Npgsql.SslMode.Disable => "disable", Npgsql.SslMode.Require => "require", Npgsql.SslMode.VerifyCA => "verify-ca", Npgsql.SslMode.VerifyFull => "verify-full", Npgsql.SslMode.Allow => "allow", _ => "prefer" },
                };
            }
            case ProviderKind.MySql or ProviderKind.MariaDb:
            {
                var b = new MySqlConnectionStringBuilder(cs);
                return new DatabaseLogin
                {
                    Engine = source.Provider, Host = b.Server.Split(',')[0], Port = (int)b.Port, User = b.UserID, Password = b.Password,
                    Database = database ?? b.Database ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"The source '{source.Name}' names no database."),
                    SslMode = b.SslMode switch { MySqlSslMode.None => "DISABLED", MySqlSslMode.Required => "REQUIRED", MySqlSslMode.VerifyCA => "VERIFY_CA", MySqlSslMode.VerifyFull => "VERIFY_IDENTITY", _ => null },
                };
            }
            default:
                throw new SyncException(SyncErrorKind.InvalidArgument, $"Backups of {source.Provider} sources go through SQL Server's BACKUP DATABASE or are not supported.");
        }
    }

    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
