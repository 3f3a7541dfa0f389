using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS;

/// <summary>
/// An opened source: what it is and where, never its password. Each operation opens its own pooled
/// connection from the connection string kept inside (not a property, so it is never shown or serialised).
/// </summary>
public sealed class SyncSource
{
    internal SyncSource(ConnectionSpec spec, SqlDialect? dialect, string? connectionString)
    {
        Provider = spec.Provider;
        Dialect = dialect;
        ConnectionString = connectionString;
        TimeZone = spec.TimeZone ?? TimeZoneInfo.Utc;
        Path = spec.Path is null ? null : System.IO.Path.GetFullPath(spec.Path);
        if (dialect is not null && connectionString is not null)
        {
            var (server, port, database, user) = dialect.Describe(connectionString);
            var (host, typedPort) = ServerName.Split(server);
            Server = host;
            Port = typedPort ?? port;
            Database = database;
            User = user;
            _earlierServerIdentity = $"{Provider}://{server}:{port}/{database}";
        }
        if (Provider == ProviderKind.Sqlite) Database = Path ?? Database;
        Name = spec.Name ?? DefaultName();
    }

    public string Name { get; }
    public ProviderKind Provider { get; }
    public string? Server { get; }
    public int? Port { get; }
    public string? Database { get; }
    public string? User { get; }
    /// <summary>SQLite file, or Laravel log file or folder.</summary>
    public string? Path { get; }
    public string? ServerVersion { get; internal set; }
    public TimeZoneInfo TimeZone { get; }
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.Now;

    internal SqlDialect? Dialect { get; }
    internal string? ConnectionString { get; }

    /// <summary>What identifies the source in the state store: provider, server, port and database
    /// (or the file path), not the friendly name, so renaming a source keeps its watermarks; canonical,
    /// so <c>DB01:5432</c> and <c>db01</c> are one source (DESIGN contract 10).</summary>
    public string Identity => Provider switch
    {
        ProviderKind.Sqlite or ProviderKind.LaravelLog => $"{Provider}:{Path}",
        _ => $"{Provider}://{ServerName.Canonical(Server)}:{Port}/{(Dialect?.DatabaseNamesIgnoreCase == true ? Database?.ToLowerInvariant() : Database)}",
    };

    /// <summary>The identity as versions before 0.2 spelt it (server as typed), to adopt their state once.</summary>
    internal string? EarlierIdentity => Provider is ProviderKind.Sqlite or ProviderKind.LaravelLog ? Identity : _earlierServerIdentity;

    private readonly string? _earlierServerIdentity;

    /// <summary>Where the source is, for messages: server and database, never a secret.</summary>
    public string Location => Provider switch
    {
        ProviderKind.Sqlite or ProviderKind.LaravelLog => $"'{Path}'",
        _ => $"server '{Server}{(Port is null ? "" : ":" + Port)}', database '{Database}'",
    };

    internal DbConnection CreateConnection()
    {
        if (Dialect is null || ConnectionString is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The {Provider} source '{Name}' is not a database.");
        var connection = Dialect.Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        return connection;
    }

    private string DefaultName() => Provider switch
    {
        ProviderKind.Sqlite or ProviderKind.LaravelLog => System.IO.Path.GetFileNameWithoutExtension(Path ?? Provider.ToString()),
        _ => $"{Server}/{Database}",
    };

    public override string ToString() => Name;
}
