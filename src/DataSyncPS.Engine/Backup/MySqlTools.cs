namespace DataSyncPS.Engine.Backup;

/// <summary>mariadb-dump / mysqldump with --single-transaction --routines --triggers --events, gzipped
/// in-process; mariadb / mysql to restore. The login goes in a 0600 option file given with
/// --defaults-extra-file and deleted afterwards: never an argument.</summary>
internal sealed class MySqlTools(ProviderKind engine, string? toolPath) : EngineTools(toolPath)
{
    private string? _dump;
    private string? _client;

    private string[] DumpNames => engine == ProviderKind.MariaDb ? ["mariadb-dump", "mysqldump"] : ["mysqldump", "mariadb-dump"];
    private string[] ClientNames => engine == ProviderKind.MariaDb ? ["mariadb", "mysql"] : ["mysql", "mariadb"];
    private string Package => engine == ProviderKind.MariaDb
        ? "mariadb-client (Windows: the MariaDB installer's client programs)"
        : "mysql-client (Debian: default-mysql-client; Windows: MySQL Shell / the MySQL installer's client programs)";

    public override string Extension => ".sql.gz";
    public override string BackupType => "mysqldump-gzip";
    public override bool Compresses => true;

    public override async Task<string> CheckDumpToolAsync(string? serverVersion, CancellationToken cancellationToken)
    {
        _dump = ToolLocator.Find(DumpNames, ToolPath, Package);
        var version = await ToolLocator.VersionAsync(_dump, cancellationToken).ConfigureAwait(false);
        // "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB": the distribution's version is what counts.
        var tool = ToolLocator.ParseVersion(version, "Distrib") ?? ToolLocator.ParseVersion(version, "Ver");
        var server = ToolLocator.ParseVersion(serverVersion);
        var toolIsMariaDb = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
        var serverIsMariaDb = serverVersion?.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) == true;
        if (tool is not null && server is not null && toolIsMariaDb == serverIsMariaDb && tool < server)
            throw new SyncException(SyncErrorKind.BackupToolMissing,
                $"{version} is older than the server ({serverVersion}); install {Package} {server.Major}.{server.Minor} or newer, or give -ToolPath.", target: _dump);
        return version;
    }

    public override async Task<string> CheckRestoreToolAsync(CancellationToken cancellationToken)
    {
        _client = ToolLocator.Find(ClientNames, ToolPath, Package);
        return await ToolLocator.VersionAsync(_client, cancellationToken).ConfigureAwait(false);
    }

    public override ToolRun StartDump(DatabaseLogin login, BackupOptions options)
    {
        if (login.Database.StartsWith('-'))
            throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The database name '{login.Database}' would be read as an option by {Path.GetFileName(_dump)}.");
        var file = new OptionFile(login);
        try
        {
            // --defaults-extra-file must come first. No --databases: the dump then has no CREATE
            // DATABASE / USE, so it restores into whichever database it is given (a sandbox too).
            List<string> args = ["--defaults-extra-file=" + file.Path, "--single-transaction", "--routines", "--triggers", "--events",
                "--hex-blob", "--default-character-set=utf8mb4", login.Database];
            return new ToolRun(ToolProcess.Start(new ToolInvocation(_dump!, args, NoPasswordVariables), redirectStdin: false, redirectStdout: true), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public override ToolRun StartRestore(DatabaseLogin login)
    {
        if (login.Database.StartsWith('-'))
            throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The database name '{login.Database}' would be read as an option by {Path.GetFileName(_client)}.");
        var file = new OptionFile(login);
        try
        {
            List<string> args = ["--defaults-extra-file=" + file.Path, "--default-character-set=utf8mb4", "--batch", login.Database];
            return new ToolRun(ToolProcess.Start(new ToolInvocation(_client!, args, NoPasswordVariables), redirectStdin: true, redirectStdout: true), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    // MYSQL_PWD from the account's environment would override nothing we pass, but must not leak into a child either.
    private static readonly Dictionary<string, string?> NoPasswordVariables = new() { ["MYSQL_PWD"] = null };

    public override ToolRun? StartStructureCheck() => null;

    /// <summary>The last line mysqldump and mariadb-dump write when a dump is whole.</summary>
    public const string CompletionLine = "-- Dump completed";

    public override string UserDatabasesSql =>
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY schema_name";

    public override string ServerVersionSql => "SELECT VERSION()";

    // information_schema's figures are the engine's estimates (InnoDB's are sampled): a size, not a count.
    public override string DatabaseSizeSql =>
        "SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = DATABASE()";

    public override string CreateDatabaseSql(string database) => "CREATE DATABASE `" + database.Replace("`", "``") + "` CHARACTER SET utf8mb4";

    public override string TablesSql =>
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = DATABASE() ORDER BY 1, 2";
}
