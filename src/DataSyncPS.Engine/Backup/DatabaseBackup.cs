using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// One database's backup, streamed: the dump tool's stdout goes (gzipped in-process for mysqldump, in
/// blocks on every core) through SHA-256 into the store's upload, with no temporary file, copied by a
/// thread of its own that blocks on the pipe and the store. The object exists only when the tool
/// exited 0 and the upload completed; a failed tool, a stop (the tool is killed) or a refused upload
/// aborts it. A backup never replaces another: a name already taken (a second backup of the database
/// within the same second) gets the next free one, <c>..._20260301T043005Z-2.dump</c>.
/// </summary>
public static class DatabaseBackup
{
    // A pipe holds 64 KB: a read never returns more.

    /// <summary>The source for another database of the same server and login (-Database).</summary>
    public static SyncSource ForDatabase(SyncSource server, string database)
    {
        var b = server.Dialect!.Factory.CreateConnectionStringBuilder()!;
        b.ConnectionString = server.ConnectionString;
        b["Database"] = database;
        return new SyncSource(new ConnectionSpec { Provider = server.Provider, TimeZone = server.TimeZone }, server.Dialect, b.ConnectionString)
        {
            ServerVersion = server.ServerVersion,
        };
    }

    /// <summary>The databases of a server matching names or wildcards (<c>*</c> = every user database), in order.</summary>
    public static async Task<IReadOnlyList<string>> MatchDatabasesAsync(SyncSource server, IReadOnlyList<string> patterns, CancellationToken ct)
    {
        var tools = EngineTools.For(server.Provider, null);
        var all = new List<string>();
        await using (var c = await SourceConnector.OpenAsync(server, ct).ConfigureAwait(false))
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = tools.UserDatabasesSql;
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) all.Add(r.GetString(0));
        }
        var matched = new List<string>();
        foreach (var p in patterns)
        {
            var hits = p.Contains('*') || p.Contains('?')
                ? all.Where(d => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(p, d, ignoreCase: true)).ToList()
                : all.Where(d => d == p).ToList();
            if (hits.Count == 0 && !p.Contains('*') && !p.Contains('?'))
                throw new SyncException(SyncErrorKind.DatabaseNotFound, $"There is no database '{p}' on {server.Server}:{server.Port}.", target: p);
            foreach (var h in hits) if (!matched.Contains(h)) matched.Add(h);
        }
        return matched;
    }

    /// <summary>The server's version, and the database's size on disk (null when the server will not say).</summary>
    internal static async Task<(string? Version, long? Size)> ServerFactsAsync(SyncSource source, EngineTools tools, CancellationToken ct)
    {
        await using var c = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = tools.ServerVersionSql;
        var version = Convert.ToString(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        cmd.CommandText = tools.DatabaseSizeSql;
        try
        {
            return (version, Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture));
        }
        catch (DbException)
        {
            // Only an estimate: without it, parts are S3's smallest (or -PartSizeMB).
            return (version, null);
        }
    }

    public static async Task<DbBackupResult> RunAsync(SyncSource source, IBackupStorage storage, BackupOptions options, BackupProgress progress, CancellationToken ct)
    {
        if (source.Provider == ProviderKind.SqlServer) return await SqlServerBackup.RunAsync(source, storage, options, progress, ct).ConfigureAwait(false);
        var login = DatabaseLogin.From(source);
        var tools = EngineTools.For(source.Provider, options.ToolPath);
        progress.Reset();
        progress.Database = login.Database;
        progress.Phase = "Connecting";
        // Connecting first turns a wrong password or a missing database into their own errors, before any tool runs.
        var (serverVersion, databaseSize) = await ServerFactsAsync(source, tools, ct).ConfigureAwait(false);
        var toolVersion = await tools.CheckDumpToolAsync(serverVersion, ct).ConfigureAwait(false);

        var startedAt = DateTimeOffset.UtcNow;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var key = BackupObjectName.Key(storage.Destination.Prefix, source.Server ?? login.Host, login.Database, source.Provider, startedAt, tools.Extension);
        var metadata = Metadata(source, login, tools.BackupType, toolVersion, serverVersion, startedAt);

        progress.Phase = "Dumping";
        var stored = await StreamAsync(storage, key, tools.Extension, metadata, databaseSize, options, progress, tools.Compresses, async (sink, cancel) =>
        {
            using var run = tools.StartDump(login, options);
            options.ToolStarted?.Invoke(run.Process.Id);
            // A stop kills the tool: its stdout ends, and the copy ends with it.
            using var kill = cancel.Register(run.Process.Kill);
            var whole = true;
            await OwnThread.RunAsync("DataSyncPS dump copy", () => whole = tools.CopyDump(new ToolOutputReader(run.Process.Stdout, progress), sink)).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
            await run.Process.EnsureSucceededAsync($"dumping {source.Location}", cancel).ConfigureAwait(false);
            if (!whole)
                throw new SyncException(SyncErrorKind.BackupFailed, $"The dump of {source.Location} ended inside the archive, though the tool reported success; nothing was stored.", target: login.Database);
        }, ct).ConfigureAwait(false);
        key = stored.Key;

        var result = new DbBackupResult
        {
            Server = source.Server ?? login.Host, Port = source.Port ?? login.Port, Database = login.Database, Engine = source.Provider,
            Destination = storage.Destination.UriOf(key), StorageKind = storage.Destination.Kind, Key = key,
            Bytes = stored.Bytes, DumpBytes = progress.ToolBytes, Sha256 = stored.Sha256, StartedAt = startedAt,
            Duration = clock.Elapsed, ToolVersion = toolVersion, ServerVersion = serverVersion, LocalCopy = stored.LocalCopy,
            Endpoint = storage.Destination.Endpoint?.ToString(), Region = storage.Destination.Region,
        };
        if (options.Verify != BackupVerification.None)
        {
            progress.Phase = "Verifying";
            await BackupVerifier.VerifyAsync(storage, result, options, progress, ct).ConfigureAwait(false);
        }
        return result;
    }

    internal static Dictionary<string, string> Metadata(SyncSource source, DatabaseLogin login, string backupType, string toolVersion, string? serverVersion, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local);
        return new Dictionary<string, string>
        {
            ["backup-type"] = backupType,
            ["engine"] = source.Provider.ToString(),
            ["tool-version"] = toolVersion,
            ["server-version"] = serverVersion ?? "",
            ["server"] = source.Server ?? login.Host,
            ["port"] = (source.Port ?? login.Port).ToString(CultureInfo.InvariantCulture),
            ["database"] = login.Database,
            ["source-identity"] = source.Identity,
            ["timestamp"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["local-time"] = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["timezone"] = TimeZoneInfo.Local.Id,
            ["created-by"] = "DataSyncPS " + typeof(DatabaseBackup).Assembly.GetName().Version?.ToString(3),
        };
    }

    internal sealed record Stored(string Key, long Bytes, string Sha256, string? LocalCopy);

    /// <summary>Opens the upload under the first free name from <paramref name="key"/> on (its parts sized
    /// for <paramref name="expectedBytes"/>), lets
    /// <paramref name="produce"/> write the dump into it (through gzip when asked: synchronous writes,
    /// from a thread of its own), and completes it with size and SHA-256; on any failure or stop, aborts
    /// it and deletes the partial local copy.</summary>
    internal static async Task<Stored> StreamAsync(IBackupStorage storage, string key, string extension, Dictionary<string, string> metadata, long? expectedBytes, BackupOptions options,
        BackupProgress progress, bool gzip, Func<Stream, CancellationToken, Task> produce, CancellationToken ct)
    {
        string? localPath = null;
        FileStream? local = null;
        ObjectUpload? upload = null;
        try
        {
            key = await FreeKeyAsync(storage, key, extension, ct).ConfigureAwait(false);
            upload = await storage.OpenWriteAsync(key, metadata, expectedBytes, ct).ConfigureAwait(false);
            if (options.LocalCopyFolder is { } folder)
            {
                localPath = System.IO.Path.Combine(folder, System.IO.Path.GetFileName(key));
                Directory.CreateDirectory(folder);
                local = new FileStream(localPath + ".partial", FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            }
            string sha256;
            long bytes;
            using (var hashing = new HashingWriter(upload, local, progress, ct))
            {
                if (gzip)
                {
                    using var zip = new ParallelDeflateStream(hashing, CompressionLevel.Optimal);
                    await produce(zip, ct).ConfigureAwait(false);
                    await OwnThread.RunAsync("DataSyncPS gzip end", zip.Finish).ConfigureAwait(false);
                }
                else
                {
                    await produce(hashing, ct).ConfigureAwait(false);
                }
                sha256 = hashing.HashHex();
                bytes = hashing.BytesWritten;
            }
            if (local is not null)
            {
                await local.FlushAsync(ct).ConfigureAwait(false);
                await local.DisposeAsync().ConfigureAwait(false);
                local = null;
            }
            progress.Phase = "Completing upload";
            await upload.CompleteAsync(new Dictionary<string, string>
            {
                ["size"] = bytes.ToString(CultureInfo.InvariantCulture),
                ["sha256"] = sha256,
            }, ct).ConfigureAwait(false);
            if (localPath is not null) File.Move(localPath + ".partial", localPath, overwrite: false);
            return new Stored(key, bytes, sha256, localPath);
        }
        catch
        {
            if (upload is not null) await upload.AbortAsync().ConfigureAwait(false);
            if (local is not null) await local.DisposeAsync().ConfigureAwait(false);
            if (localPath is not null) try { File.Delete(localPath + ".partial"); } catch (IOException) { }
            throw;
        }
        finally
        {
            if (upload is not null) await upload.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="key"/>, or when a backup is there already, the first of <c>-2</c>,
    /// <c>-3</c>... that is free: one listing of the names taken in that second (a listing, not a HEAD per
    /// name, whose 404 costs an exception). The store's write is conditional as well
    /// (<see cref="IBackupStorage"/>), so one started in between is never replaced either.</summary>
    internal static async Task<string> FreeKeyAsync(IBackupStorage storage, string key, string extension, CancellationToken ct)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var o in storage.ListAsync(key[..^extension.Length], ct).ConfigureAwait(false)) taken.Add(o.Key);
        for (var n = 1; ; n++)
        {
            var candidate = BackupObjectName.Numbered(key, n, extension);
            if (!taken.Contains(candidate)) return candidate;
        }
    }
}
