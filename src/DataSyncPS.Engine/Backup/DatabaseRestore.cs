using System.Data.Common;
using System.IO.Compression;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// Restores a stored backup into a target database, streamed from the store into pg_restore or the
/// mysql client (gunzipped in-process), with no temporary file; then counts the rows of every table.
/// Refuses the database the backup came from unless forced.
/// </summary>
public static class DatabaseRestore
{
    /// <summary>The metadata of a stored backup (empty when it has none); PathNotFound when it is not there.</summary>
    public static async Task<StoredObject> DescribeAsync(IBackupStorage storage, string key, CancellationToken ct) =>
        await storage.DescribeAsync(key, ct).ConfigureAwait(false)
        ?? throw new SyncException(SyncErrorKind.PathNotFound, $"There is no backup {storage.Destination.UriOf(key)}.", target: storage.Destination.UriOf(key));

    /// <summary>True when <paramref name="target"/> is the database <paramref name="backup"/> was taken from.</summary>
    public static bool IsOrigin(StoredObject backup, SyncSource target) =>
        backup.Metadata.TryGetValue("source-identity", out var origin) && string.Equals(origin, target.Identity, StringComparison.Ordinal);

    public static async Task<DbRestoreResult> RunAsync(IBackupStorage storage, string key, SyncSource target, RestoreOptions options, BackupProgress progress, CancellationToken ct)
    {
        var uri = storage.Destination.UriOf(key);
        var stored = await DescribeAsync(storage, key, ct).ConfigureAwait(false);
        var engine = BackupLocation.EngineOf(key, stored.Metadata);
        if (engine == ProviderKind.SqlServer)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"{uri} is a SQL Server .bak: restore it with RESTORE DATABASE on the server.");
        if (target.Provider != engine && !(engine is ProviderKind.MySql or ProviderKind.MariaDb && target.Provider is ProviderKind.MySql or ProviderKind.MariaDb))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"{uri} is a {engine} backup; the target is a {target.Provider} database.");
        if (!options.Force && IsOrigin(stored, target))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"{uri} was taken from {target.Location}: restoring over it is refused unless -Force is given.", target: uri);

        var tools = EngineTools.For(target.Provider, options.ToolPath);
        var login = DatabaseLogin.From(target);
        progress.Reset();
        progress.Database = login.Database;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var toolVersion = await tools.CheckRestoreToolAsync(ct).ConfigureAwait(false);
        var created = false;
        if (options.CreateDatabase)
        {
            progress.Phase = "Creating " + login.Database;
            await ExecuteOnServerAsync(target, tools.CreateDatabaseSql(login.Database), ct).ConfigureAwait(false);
            created = true;
        }
        try
        {
            if (options.ReplaceContents)
            {
                progress.Phase = "Dropping the objects of " + login.Database;
                await DatabaseClearing.ClearAsync(target, ct).ConfigureAwait(false);
            }
            progress.Phase = "Restoring";
            long bytes;
            await using (var raw = await storage.OpenReadAsync(key, ct).ConfigureAwait(false))
            using (var read = new HashingReader(raw, progress))
            using (var run = tools.StartRestore(login))
            {
                Stream input = tools.Compresses ? new GZipStream(read, CompressionMode.Decompress, leaveOpen: true) : read;
                try
                {
                    await ToolFeed.RunAsync(run.Process, input, null, $"restoring {uri} into {target.Location}", ct).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new SyncException(SyncErrorKind.BackupVerificationFailed, $"{uri} is not an intact gzip file: {e.Message}", e, uri);
                }
                finally
                {
                    if (!ReferenceEquals(input, read)) await input.DisposeAsync().ConfigureAwait(false);
                }
                bytes = read.BytesRead;
                if (stored.Metadata.TryGetValue("sha256", out var sha) && read.BytesRead == stored.Size && read.HashHex() != sha)
                    throw new SyncException(SyncErrorKind.BackupVerificationFailed, $"{uri} read back with another SHA-256 than the {sha} recorded when it was taken.", target: uri);
            }
            progress.Phase = "Counting rows";
            var counts = await RowCounts.ReadAsync(target, tools, ct).ConfigureAwait(false);
            return new DbRestoreResult
            {
                Backup = uri, Engine = target.Provider, Server = target.Server ?? login.Host, Port = target.Port, Database = login.Database,
                Created = created, Bytes = bytes, Duration = clock.Elapsed, ToolVersion = toolVersion, RowCounts = counts,
            };
        }
        finally
        {
            if (created && options.DropAfterwards)
            {
                NpgsqlClearPools(target);
                try { await ExecuteOnServerAsync(target, DropSql(target.Provider, login.Database), CancellationToken.None).ConfigureAwait(false); }
                catch (SyncException) { /* a sandbox left behind is named in the verbose stream by the cmdlet; never hides the real outcome */ }
            }
        }
    }

    private static void NpgsqlClearPools(SyncSource target)
    {
        if (target.Provider == ProviderKind.PostgreSql) Npgsql.NpgsqlConnection.ClearAllPools();
        else MySqlConnector.MySqlConnection.ClearAllPools();
    }

    private static string DropSql(ProviderKind engine, string database) => engine == ProviderKind.PostgreSql
        ? "DROP DATABASE IF EXISTS \"" + database.Replace("\"", "\"\"") + "\" WITH (FORCE)"
        : "DROP DATABASE IF EXISTS `" + database.Replace("`", "``") + "`";

    /// <summary>Runs a statement connected to the target's server, not its database (which may not exist yet).</summary>
    private static async Task ExecuteOnServerAsync(SyncSource target, string sql, CancellationToken ct)
    {
        var server = DatabaseBackup.ForDatabase(target, target.Provider == ProviderKind.PostgreSql ? "postgres" : "");
        await using var c = await SourceConnector.OpenAsync(server, ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new SyncException(SyncErrorKind.QueryFailed, $"{sql.Split(' ')[0]} {sql.Split(' ')[1]} on {target.Server} failed: {e.Message}", e);
        }
    }
}
