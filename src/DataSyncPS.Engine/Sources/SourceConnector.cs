using System.Data.Common;

namespace DataSyncPS.Engine.Sources;

/// <summary>Turns what the admin typed into a <see cref="SyncSource"/>, testing the connection unless told not to.</summary>
public static class SourceConnector
{
    public static async Task<SyncSource> ConnectAsync(ConnectionSpec spec, bool test, CancellationToken ct)
    {
        if (spec.Provider == ProviderKind.LaravelLog)
        {
            if (string.IsNullOrEmpty(spec.Path))
                throw new SyncException(SyncErrorKind.InvalidArgument, "A LaravelLog source needs -Path (a laravel.log file or the folder holding laravel-*.log files).");
            if (!File.Exists(spec.Path) && !Directory.Exists(spec.Path))
                throw new SyncException(SyncErrorKind.PathNotFound, $"The Laravel log path '{spec.Path}' does not exist.", target: spec.Path);
            return new SyncSource(spec, null, null);
        }

        if (spec.Provider == ProviderKind.Sqlite && test)
        {
            var file = spec.Path ?? spec.Database;
            if (file is not null && !File.Exists(file))
                throw new SyncException(SyncErrorKind.PathNotFound, $"The SQLite database file '{file}' does not exist.", target: file);
        }

        var dialect = SqlDialect.For(spec.Provider, spec.ProviderPath);
        var connectionString = dialect.BuildConnectionString(spec);
        var source = new SyncSource(spec, dialect, connectionString);
        if (!test) return source;

        await using var connection = source.CreateConnection();
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            source.ServerVersion = await ReadVersionAsync(connection, source, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not SyncException && !ct.IsCancellationRequested)
        {
            throw Translate(ex, source, spec);
        }
        return source;
    }

    /// <summary>Opens a pooled connection of the source, turning failures into specific errors.</summary>
    public static async Task<DbConnection> OpenAsync(SyncSource source, CancellationToken ct)
    {
        var connection = source.CreateConnection();
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (source.Dialect?.SessionSetupSql is { } setup)
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = setup;
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return connection;
        }
        catch (Exception ex) when (ex is not SyncException && !ct.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Translate(ex, source, null);
        }
    }

    private static async Task<string?> ReadVersionAsync(DbConnection connection, SyncSource source, CancellationToken ct)
    {
        if (source.Provider == ProviderKind.Sqlite)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT sqlite_version()";
            return "SQLite " + await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }
        if (source.Provider is ProviderKind.MySql or ProviderKind.MariaDb)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT VERSION()";
            return Convert.ToString(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
        }
        return connection.ServerVersion;
    }

    internal static SyncException Translate(Exception ex, SyncSource source, ConnectionSpec? spec)
    {
        var kind = source.Dialect?.Classify(ex) ?? SyncErrorKind.HostUnreachable;
        var where = $"{source.Provider} {source.Location}";
        var reason = kind switch
        {
            SyncErrorKind.AuthenticationFailed => $"login failed for user '{source.User}'",
            SyncErrorKind.DatabaseNotFound => "the database does not exist",
            SyncErrorKind.HostUnreachable => "the server cannot be reached",
            SyncErrorKind.PathNotFound => "the file cannot be opened as a database",
            _ => "the connection failed",
        };
        var detail = Scrub(ex.GetBaseException().Message, spec?.Credential?.Password);
        return new SyncException(kind, $"Cannot connect to {where}: {reason}. {detail}".TrimEnd(), null, $"{source.Server}/{source.Database}");
    }

    /// <summary>Provider messages rarely hold a password, but one that does must not reach an error record.</summary>
    internal static string Scrub(string message, string? secret) =>
        string.IsNullOrEmpty(secret) ? message : message.Replace(secret, "********", StringComparison.Ordinal);
}
