namespace DataSyncPS.Engine.Backup;

/// <summary>pg_dump in custom format (large objects included), pg_restore. pg_dump 12 to 15 dump
/// uncompressed and the archive is compressed here on every core (<see cref="PgArchiveRecompressor"/>);
/// other versions compress it themselves. The login goes in PG* environment variables, the password in
/// PGPASSWORD: never an argument.</summary>
internal sealed class PostgreSqlTools(string? toolPath) : EngineTools(toolPath)
{
    private const string Package = "postgresql-client (Debian/Ubuntu: postgresql-client-<server major version>; Windows: the PostgreSQL installer's Command Line Tools)";
    private string? _dump;
    private string? _restore;
    private bool _recompress;

    public override string Extension => ".dump";
    public override string BackupType => "pg_dump-custom";
    public override bool Compresses => false;

    public override async Task<string> CheckDumpToolAsync(string? serverVersion, CancellationToken cancellationToken)
    {
        _dump = ToolLocator.Find(["pg_dump"], ToolPath, Package);
        var version = await ToolLocator.VersionAsync(_dump, cancellationToken).ConfigureAwait(false);
        var tool = ToolLocator.ParseVersion(version, ")");
        var server = ToolLocator.ParseVersion(serverVersion);
        // pg_dump refuses a server of a newer major version; say so before starting, with the package.
        if (tool is not null && server is not null && tool.Major < server.Major)
            throw new SyncException(SyncErrorKind.BackupToolMissing,
                $"{version} is older than the server (PostgreSQL {server.Major}); install postgresql-client-{server.Major} (or newer), or give -ToolPath.", target: _dump);
        _recompress = tool is not null && PgArchiveRecompressor.Writes(tool.Major);
        return version;
    }

    public override async Task<string> CheckRestoreToolAsync(CancellationToken cancellationToken)
    {
        _restore = ToolLocator.Find(["pg_restore"], ToolPath, Package);
        return await ToolLocator.VersionAsync(_restore, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string?> Environment(DatabaseLogin login) => new()
    {
        ["PGHOST"] = login.Host,
        ["PGPORT"] = login.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGUSER"] = login.User,
        ["PGPASSWORD"] = login.Password,
        ["PGDATABASE"] = login.Database,
        ["PGSSLMODE"] = login.SslMode,
        ["PGAPPNAME"] = "DataSyncPS",
        ["PGCONNECT_TIMEOUT"] = "15",
        // A service file or .pgpass of the account must not change whom we connect as.
        ["PGSERVICE"] = null,
    };

    public override ToolRun StartDump(DatabaseLogin login, BackupOptions options)
    {
        List<string> args = ["--format=custom", "--no-password"];
        if (_recompress) args.Add("--compress=0");
        if (options.NoOwner) args.Add("--no-owner");
        return new ToolRun(ToolProcess.Start(new ToolInvocation(_dump!, args, Environment(login)), redirectStdin: false, redirectStdout: true), null);
    }

    public override bool CopyDump(Stream toolOutput, Stream sink)
    {
        if (!_recompress) return base.CopyDump(toolOutput, sink);
        try
        {
            PgArchiveRecompressor.Copy(toolOutput, sink, System.IO.Compression.CompressionLevel.Optimal);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    public override ToolRun StartRestore(DatabaseLogin login)
    {
        // pg_restore restores into a database only when given -d; a connection string naming just the
        // database keeps a name with '=' from being read as one (host, user and password stay in PG*).
        var args = new List<string> { "--no-password", "--no-owner", "--exit-on-error", "--dbname=" + ConnInfoDatabase(login.Database) };
        return new ToolRun(ToolProcess.Start(new ToolInvocation(_restore!, args, Environment(login)), redirectStdin: true, redirectStdout: true), null);
    }

    public override ToolRun? StartStructureCheck()
    {
        _restore ??= ToolLocator.Find(["pg_restore"], ToolPath, Package);
        return new ToolRun(ToolProcess.Start(new ToolInvocation(_restore, ["--list"], new Dictionary<string, string?>()), redirectStdin: true, redirectStdout: true), null);
    }

    /// <summary>A libpq connection string naming only the database, quoted as libpq wants.</summary>
    internal static string ConnInfoDatabase(string database) => "dbname='" + database.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    public override string UserDatabasesSql =>
        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate AND datname <> 'postgres' ORDER BY datname";

    public override string ServerVersionSql => "SHOW server_version";

    public override string DatabaseSizeSql => "SELECT pg_database_size(current_database())";

    public override string CreateDatabaseSql(string database) => "CREATE DATABASE \"" + database.Replace("\"", "\"\"") + "\"";

    public override string TablesSql =>
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2";
}
