using System.Globalization;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// SQL Server: BACKUP DATABASE ... WITH COMPRESSION, CHECKSUM (COPY_ONLY, so the server's own backup
/// chain is untouched) through SqlClient into <see cref="BackupOptions.ServerBackupPath"/> — a folder
/// the server writes and this machine reads, typically a share — then the .bak is streamed to the
/// store like any dump and deleted.
/// </summary>
internal static class SqlServerBackup
{
    public static async Task<DbBackupResult> RunAsync(SyncSource source, IBackupStorage storage, BackupOptions options, BackupProgress progress, CancellationToken ct)
    {
        var folder = options.ServerBackupPath
            ?? throw new SyncException(SyncErrorKind.InvalidArgument, "A SQL Server backup needs -ServerBackupPath: a folder (a share) the server writes its .bak into and this machine reads.");
        var database = source.Database ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"The source '{source.Name}' names no database.");
        var startedAt = DateTimeOffset.UtcNow;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var key = BackupObjectName.Key(storage.Destination.Prefix, source.Server ?? "", database, ProviderKind.SqlServer, startedAt, ".bak");
        var file = Path.Combine(folder, Path.GetFileName(key));
        progress.Reset();
        progress.Database = database;
        progress.Phase = "BACKUP DATABASE";
        string? version;
        await using (var c = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false))
        {
            version = c.ServerVersion;
            await using var cmd = c.CreateCommand();
            cmd.CommandText = SqlServerBackupSql.Build(database, file);
            cmd.CommandTimeout = 0;
            try { await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false); }
            catch (System.Data.Common.DbException e)
            {
                throw new SyncException(SyncErrorKind.BackupFailed, $"BACKUP DATABASE [{database}] on {source.Server} failed: {e.Message}", e, database);
            }
        }
        try
        {
            var metadata = DatabaseBackup.Metadata(source, new DatabaseLogin { Engine = ProviderKind.SqlServer, Host = source.Server ?? "", Port = source.Port ?? 1433, Database = database },
                "sqlserver-bak", "BACKUP DATABASE (SQL Server " + version + ")", version, startedAt);
            progress.Phase = "Uploading";
            var stored = await DatabaseBackup.StreamAsync(storage, key, ".bak", metadata, new FileInfo(file).Length, options, progress, gzip: false, async (sink, cancel) =>
            {
                await using var bak = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await bak.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
                {
                    progress.AddTool(n);
                    await sink.WriteAsync(buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false);
            var result = new DbBackupResult
            {
                Server = source.Server ?? "", Port = source.Port, Database = database, Engine = ProviderKind.SqlServer,
                Destination = storage.Destination.UriOf(stored.Key), StorageKind = storage.Destination.Kind, Key = stored.Key,
                Bytes = stored.Bytes, DumpBytes = stored.Bytes, Sha256 = stored.Sha256, StartedAt = startedAt, Duration = clock.Elapsed,
                ToolVersion = "SQL Server " + version, ServerVersion = version, LocalCopy = stored.LocalCopy,
                Endpoint = storage.Destination.Endpoint?.ToString(), Region = storage.Destination.Region,
            };
            if (options.Verify != BackupVerification.None)
                await BackupVerifier.VerifyAsync(storage, result, options, progress, ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
