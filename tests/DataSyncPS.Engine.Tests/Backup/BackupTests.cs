using System.Diagnostics;
using System.Text;
using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>Backups of real PostgreSQL and MariaDB databases (a view, a function, a trigger, a table
/// big enough for several parts) to s3rver and a folder, read back, restored into another database
/// and compared; and the failures that must leave no object.</summary>
// The dump tools' files and processes are checked the Unix way (modes, /proc).
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class BackupTests
{
    private static readonly StorageOptions SmallParts = new() { Credential = TestBucket.Options.Credential, PartSize = 1 << 20, Retry = TestBucket.QuickRetry(2) };

    public static TheoryData<ProviderKind> Engines => [ProviderKind.PostgreSql, ProviderKind.MariaDb];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_backup_to_S3_verifies_and_restores_to_the_same_rows_and_content(ProviderKind kind)
    {
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 60_000);
        await using var bucket = await TestBucket.CreateAsync();
        using var storage = new S3Storage(bucket.Destination("nightly"), SmallParts);

        var result = await DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { Verify = BackupVerification.Structure }, new BackupProgress(), CancellationToken.None);

        Assert.Equal(BackupVerification.Structure, result.Verified);
        Assert.Equal(db.Name, result.Database);
        Assert.Equal(kind, result.Engine);
        Assert.Matches($@"^nightly/\d{{8}}/127\.0\.0\.1_{db.Name}_{kind.ToString().ToLowerInvariant()}_\d{{8}}T\d{{6}}Z\.{(kind == ProviderKind.PostgreSql ? "dump" : "sql\\.gz")}$", result.Key);
        Assert.True(result.Bytes > 2 << 20, $"{result.Bytes} bytes: the table should make a multipart upload");
        Assert.Contains(result.Key, await bucket.KeysAsync());
        var stored = await storage.DescribeAsync(result.Key, CancellationToken.None);
        Assert.Equal(result.Sha256, stored!.Metadata["sha256"]);
        Assert.Equal(db.Name, stored.Metadata["database"]);
        Assert.Equal(kind.ToString(), stored.Metadata["engine"]);
        Assert.Contains(kind == ProviderKind.PostgreSql ? "pg_dump" : "dump", stored.Metadata["tool-version"]);
        Assert.False(string.IsNullOrEmpty(stored.Metadata["timezone"]));

        var targetName = db.NewTargetName();
        var target = await db.ConnectAsync(targetName);
        var restored = await DatabaseRestore.RunAsync(storage, result.Key, target, new RestoreOptions { CreateDatabase = true }, new BackupProgress(), CancellationToken.None);

        // Every table: the restore's own count, the target's and the source's agree; and the content, column by column.
        var source = await db.RowCountsAsync();
        Assert.Equal(["big", "log_vendas", "vendas"], source.Keys);
        Assert.Equal((501, 60_000, 1), (source["vendas"], source["big"], source["log_vendas"]));
        Assert.Equal(source, BackupDatabase.ByTable(restored.RowCounts));
        Assert.Equal(source, await db.RowCountsAsync(targetName));
        Assert.Equal(await db.ContentChecksumsAsync(), await db.ContentChecksumsAsync(targetName));
        // The view, the function and the trigger came along.
        Assert.Equal(500L - 66, Convert.ToInt64(await db.ScalarAsync("SELECT COUNT(*) FROM vendas_grandes", targetName)));
        Assert.Equal(5m, Convert.ToDecimal(await db.ScalarAsync("SELECT dobro(2.5)", targetName)));
        await db.ExecuteAsync("INSERT INTO vendas (id, cliente, valor) VALUES (900, 'x', 1)", targetName);
        Assert.Equal(2L, Convert.ToInt64(await db.ScalarAsync("SELECT COUNT(*) FROM log_vendas", targetName)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_dump_that_outgrows_the_parts_fails_naming_PartSizeMB_and_leaves_no_object(ProviderKind kind)
    {
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 60_000);
        await using var bucket = await TestBucket.CreateAsync();
        // S3's 10,000 parts brought down to 2 parts of 1 MB: the dump (more than 2 MB) needs a third.
        var options = new StorageOptions { Credential = TestBucket.Options.Credential, PartSize = 1 << 20, MaxParts = 2, Retry = TestBucket.QuickRetry(2) };
        using var storage = new S3Storage(bucket.Destination("nightly"), options);

        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions(), new BackupProgress(), CancellationToken.None));

        Assert.Equal(SyncErrorKind.StorageFailed, e.Kind);
        Assert.Contains("2 parts of 1 MB", e.Message);
        Assert.Contains("-PartSizeMB", e.Message);
        Assert.Empty(await bucket.KeysAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_database_s_size_on_disk_is_read_for_sizing_the_parts(ProviderKind kind)
    {
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 60_000);
        // MariaDB's figures are InnoDB's statistics, recalculated in the background a while after a
        // load: ANALYZE makes them what a server that has been running shows.
        if (kind != ProviderKind.PostgreSql) await db.ExecuteAsync("ANALYZE TABLE big");
        var (version, size) = await DatabaseBackup.ServerFactsAsync(db.Source, EngineTools.For(kind, null), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(version));
        // 60,000 rows of the big table take megabytes on disk, whatever the engine's page overhead.
        Assert.InRange(size ?? 0, 2L << 20, 1L << 30);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_backup_to_a_folder_keeps_the_date_folders_and_a_local_copy(ProviderKind kind)
    {
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 100);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Combine("backups")));
        var result = await DatabaseBackup.RunAsync(db.Source, storage,
            new BackupOptions { Verify = BackupVerification.Structure, LocalCopyFolder = dir.Combine("copy") }, new BackupProgress(), CancellationToken.None);
        Assert.True(File.Exists(result.Destination));
        Assert.Equal(dir.Combine("backups", result.Key), result.Destination);
        Assert.Equal(File.ReadAllBytes(result.Destination), File.ReadAllBytes(result.LocalCopy!));
        Assert.Contains(result.Sha256, File.ReadAllText(result.Destination + ".metadata.json"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_password_never_reaches_the_tool_s_command_line(ProviderKind kind)
    {
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 30_000);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        string? cmdline = null;
        string? optionFile = null;
        string? optionMode = null;
        var options = new BackupOptions
        {
            ToolStarted = pid =>
            {
                cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                var extra = cmdline.Split(' ').FirstOrDefault(a => a.StartsWith("--defaults-extra-file=", StringComparison.Ordinal));
                if (extra is not null)
                {
                    optionFile = extra["--defaults-extra-file=".Length..];
                    optionMode = File.GetUnixFileMode(optionFile).ToString();
                }
            },
        };
        await DatabaseBackup.RunAsync(db.Source, storage, options, new BackupProgress(), CancellationToken.None);

        Assert.NotNull(cmdline);
        Assert.DoesNotContain("datasync ", cmdline.Replace("datasync_h9", ""));  // neither user nor password (both 'datasync')
        Assert.DoesNotContain("--password", cmdline, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PGPASSWORD", cmdline);
        if (kind == ProviderKind.MariaDb)
        {
            Assert.Equal((UnixFileMode.UserRead | UnixFileMode.UserWrite).ToString(), optionMode);
            Assert.False(File.Exists(optionFile), "the option file is deleted after the dump");
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_dump_killed_mid_way_leaves_no_object(ProviderKind kind)
    {
        // Large enough that the tool is still dumping when 2.5 MB are stored, even with several MB of its
        // output read ahead into the compression blocks.
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 400_000);
        await using var bucket = await TestBucket.CreateAsync();
        var pid = 0;
        using var storage = new InterceptingStorage(new S3Storage(bucket.Destination(), SmallParts), 2_500_000,
            () => Process.GetProcessById(pid).Kill());
        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(db.Source, storage,
            new BackupOptions { ToolStarted = p => pid = p }, new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.BackupFailed, e.Kind);
        Assert.Contains(kind == ProviderKind.PostgreSql ? "pg_dump" : "dump", e.Message);
        Assert.Empty(await bucket.KeysAsync());
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public async Task A_stopped_run_kills_the_tool_and_leaves_no_object()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 100_000);
        await using var bucket = await TestBucket.CreateAsync();
        using var stop = new CancellationTokenSource();
        var pid = 0;
        using var storage = new InterceptingStorage(new S3Storage(bucket.Destination(), SmallParts), 2_500_000, stop.Cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseBackup.RunAsync(db.Source, storage,
            new BackupOptions { ToolStarted = p => pid = p }, new BackupProgress(), stop.Token));
        Assert.Empty(await bucket.KeysAsync());
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }

    [Fact]
    public async Task A_missing_bucket_fails_before_the_tool_runs_and_stores_nothing()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 100_000);
        using var storage = new S3Storage(BackupDestination.Parse("s3://h9-no-such-bucket/x", DataSyncPS.Tests.TestEnvironment.S3), SmallParts);
        var pid = 0;
        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(db.Source, storage,
            new BackupOptions { ToolStarted = p => pid = p }, new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.PathNotFound, e.Kind);
        Assert.Contains("h9-no-such-bucket", e.Message);
        Assert.Equal(0, pid); // the free name is looked up first, so no dump is taken for nothing
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_wrong_password_is_AuthenticationFailed_and_stores_nothing(ProviderKind kind)
    {
        TestServers.Require(kind);
        var b = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = TestServers.ConnectionString(kind) };
        b["Password"] = "wrong-Canary-9132";
        var source = await Sources.SourceConnector.ConnectAsync(new Sources.ConnectionSpec { Provider = kind, ConnectionString = b.ConnectionString }, test: false, CancellationToken.None);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(source, storage, new BackupOptions(), new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.AuthenticationFailed, e.Kind);
        Assert.DoesNotContain("wrong-Canary-9132", e.ToString());
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_missing_tool_names_the_package_to_install()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 10);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Combine("out")));
        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { ToolPath = dir.Path }, new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.BackupToolMissing, e.Kind);
        Assert.Contains("postgresql-client", e.Message);
        Assert.False(Directory.Exists(dir.Combine("out")) && Directory.GetFiles(dir.Combine("out"), "*", SearchOption.AllDirectories).Length > 0);
    }

    [Fact]
    public async Task A_tool_older_than_the_server_is_refused_with_the_package()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 10);
        using var dir = new TempDirectory();
        var fake = dir.Combine("pg_dump");
        File.WriteAllText(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Combine("out")));
        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { ToolPath = fake }, new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.BackupToolMissing, e.Kind);
        Assert.Matches(@"older than the server \(PostgreSQL \d+\); install postgresql-client-\d+", e.Message);
    }

    [Fact]
    public async Task A_damaged_object_fails_verification()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.MariaDb, bigRows: 100);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var result = await DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions(), new BackupProgress(), CancellationToken.None);
        var bytes = File.ReadAllBytes(result.Destination);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(result.Destination, bytes);
        var e = await Assert.ThrowsAsync<SyncException>(() => BackupVerifier.VerifyAsync(storage, result, new BackupOptions { Verify = BackupVerification.Checksum }, new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.BackupVerificationFailed, e.Kind);
    }

    [Fact]
    public async Task A_truncated_mysqldump_fails_the_structure_check()
    {
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var data = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(data, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            z.Write(Encoding.UTF8.GetBytes("-- MariaDB dump\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"));
        var key = "20260101/h_db_mariadb_20260101T000000Z.sql.gz";
        Directory.CreateDirectory(dir.Combine("20260101"));
        File.WriteAllBytes(dir.Combine(key), data.ToArray());
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data.ToArray())).ToLowerInvariant();
        var result = new DbBackupResult
        {
            Server = "h", Database = "db", Engine = ProviderKind.MariaDb, Destination = dir.Combine(key), StorageKind = StorageKind.Folder, Key = key,
            Bytes = data.Length, Sha256 = sha, StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.Zero,
        };
        await BackupVerifier.VerifyAsync(storage, result, new BackupOptions { Verify = BackupVerification.Checksum }, new BackupProgress(), CancellationToken.None);
        Assert.Equal(BackupVerification.Checksum, result.Verified);
        var e = await Assert.ThrowsAsync<SyncException>(() => BackupVerifier.VerifyAsync(storage, result, new BackupOptions { Verify = BackupVerification.Structure }, new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.BackupVerificationFailed, e.Kind);
        Assert.Contains("Dump completed", e.Message);
    }

    [Fact]
    public async Task A_restore_over_the_origin_database_is_refused_without_Force()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 10);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var result = await DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions(), new BackupProgress(), CancellationToken.None);
        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseRestore.RunAsync(storage, result.Key, db.Source, new RestoreOptions(), new BackupProgress(), CancellationToken.None));
        Assert.Equal(SyncErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("-Force", e.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Verify_Restore_restores_into_a_sandbox_reports_each_table_s_rows_and_drops_it(ProviderKind kind)
    {
        await using var db = await BackupDatabase.CreateAsync(kind, bigRows: 1000);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var result = await DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { Verify = BackupVerification.Restore, RestoreTarget = db.Source }, new BackupProgress(), CancellationToken.None);
        Assert.Equal(BackupVerification.Restore, result.Verified);
        Assert.Equal(await db.RowCountsAsync(), BackupDatabase.ByTable(result.RestoredRowCounts!));
        // Tables named as in the backed-up database, not the sandbox that is gone.
        Assert.Equal(1000, result.RestoredRowCounts![(kind == ProviderKind.PostgreSql ? "public" : db.Name) + ".big"]);
        var left = kind == ProviderKind.PostgreSql
            ? await db.ScalarAsync($"SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'datasyncps_verify_{db.Name}%'")
            : await db.ScalarAsync($"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'datasyncps_verify_{db.Name}%'");
        Assert.Equal(0L, Convert.ToInt64(left));
    }

    public static TheoryData<string> Stores => ["s3", "folder"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_second_backup_within_the_same_second_is_numbered_and_replaces_nothing(string store)
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 10);
        await using var bucket = store == "s3" ? await TestBucket.CreateAsync() : null;
        using var dir = new TempDirectory();
        using IBackupStorage storage = bucket is not null ? new S3Storage(bucket.Destination("nightly"), SmallParts) : new FolderStorage(BackupDestination.Parse(dir.Combine("nightly")));
        // An earlier backup under the name of every second this one can start in.
        var now = DateTimeOffset.UtcNow;
        var earlier = new Dictionary<string, byte[]>();
        for (var s = -1; s <= 30; s++)
        {
            var key = BackupObjectName.Key(storage.Destination.Prefix, "127.0.0.1", db.Name, ProviderKind.PostgreSql, now.AddSeconds(s), ".dump");
            earlier[key] = System.Text.Encoding.UTF8.GetBytes("earlier backup " + s);
            await using var upload = await storage.OpenWriteAsync(key, new Dictionary<string, string> { ["backup-type"] = "earlier" }, null, CancellationToken.None);
            await upload.WriteAsync(earlier[key]);
            await upload.CompleteAsync(new Dictionary<string, string>(), CancellationToken.None);
        }

        var result = await DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { Verify = BackupVerification.Structure }, new BackupProgress(), CancellationToken.None);

        Assert.EndsWith("Z-2.dump", result.Key);
        Assert.Contains(result.Key[..^"-2.dump".Length] + ".dump", earlier.Keys);
        Assert.Equal(storage.Destination.UriOf(result.Key), result.Destination);
        foreach (var (key, content) in earlier) Assert.Equal(content, await StoredBytes.ReadAsync(storage, key));
        Assert.Equal(result.Sha256, (await storage.DescribeAsync(result.Key, CancellationToken.None))!.Metadata["sha256"]);
    }
}
