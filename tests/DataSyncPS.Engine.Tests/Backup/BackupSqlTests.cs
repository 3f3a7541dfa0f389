using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>What is generated without a server: SQL Server's BACKUP statement, option files, retention choices.</summary>
public class BackupSqlTests
{
    [Fact]
    public void BACKUP_DATABASE_quotes_the_name_and_path()
    {
        Assert.Equal(@"BACKUP DATABASE [Financeiro] TO DISK = N'\\backup01\sql\Financeiro.bak' WITH COMPRESSION, COPY_ONLY, FORMAT, INIT, CHECKSUM, STATS = 10;",
            SqlServerBackupSql.Build("Financeiro", @"\\backup01\sql\Financeiro.bak"));
        Assert.Equal("BACKUP DATABASE [a]]; DROP TABLE x;--] TO DISK = N'D:\\o''brien.bak' WITH COPY_ONLY, FORMAT, INIT, CHECKSUM, STATS = 10;",
            SqlServerBackupSql.Build("a]; DROP TABLE x;--", @"D:\o'brien.bak", compression: false));
    }

    [Fact]
    public void An_option_file_quotes_what_would_break_it()
    {
        var text = OptionFile.Text(new DatabaseLogin { Engine = ProviderKind.MariaDb, Host = "db01", Port = 3307, User = "etl", Password = "p\"a#s\\s;w'd x", Database = "loja" });
        Assert.Equal("[client]\nhost=\"db01\"\nport=3307\nprotocol=TCP\nuser=\"etl\"\npassword=\"p\\\"a#s\\\\s;w'd x\"\n", text);
    }

    [Fact]
    public void An_option_file_is_owner_only_and_goes_away()
    {
        if (OperatingSystem.IsWindows()) return;
        string path;
        using (var f = new OptionFile(new DatabaseLogin { Engine = ProviderKind.MariaDb, Host = "h", Port = 1, Password = "x", Database = "d" }))
        {
            path = f.Path;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
        Assert.False(File.Exists(path));
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Theory]
    [InlineData(7, null, new[] { "20260301", "20260220", "20260101" })] // older than 7 days from 03-10
    [InlineData(null, 3, new[] { "20260220", "20260101" })]             // keep the 3 newest
    [InlineData(30, 4, new[] { "20260101" })]
    [InlineData(0, null, new[] { "20260308", "20260301", "20260220", "20260101" })] // never the newest
    public async Task Retention_picks_older_backups_of_the_same_database_only(int? days, int? keep, string[] expired)
    {
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path + "/n"));
        string[] dates = ["20260310", "20260308", "20260301", "20260220", "20260101"];
        foreach (var d in dates)
        {
            Directory.CreateDirectory(dir.Combine("n", d));
            File.WriteAllText(dir.Combine("n", d, $"db01_erp_postgresql_{d}T020000Z.dump"), "x");
            File.WriteAllText(dir.Combine("n", d, $"db01_erp2_postgresql_{d}T020000Z.dump"), "other database");
            File.WriteAllText(dir.Combine("n", d, $"db01_erp_mariadb_{d}T020000Z.sql.gz"), "other engine");
            File.WriteAllText(dir.Combine("n", d, "notes.txt"), "not ours");
        }
        var latest = new DbBackupResult
        {
            Server = "db01", Database = "erp", Engine = ProviderKind.PostgreSql, Destination = "", StorageKind = StorageKind.Folder,
            Key = "20260310/db01_erp_postgresql_20260310T020000Z.dump", Bytes = 1, Sha256 = "", StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.Zero,
        };
        var now = new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);
        var found = await BackupRetention.ExpiredAsync(storage, latest, days, keep, now, CancellationToken.None);
        Assert.Equal(expired.Select(d => $"{d}/db01_erp_postgresql_{d}T020000Z.dump"), found.Select(o => o.Key));
    }

    [Fact]
    public async Task Retention_orders_the_numbered_backups_of_one_second_after_the_first()
    {
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path + "/n"));
        Directory.CreateDirectory(dir.Combine("n", "20260310"));
        foreach (var name in new[] { "T020000Z.dump", "T020000Z-2.dump", "T020000Z-3.dump", "T020000Z-10.dump" })
            File.WriteAllText(dir.Combine("n", "20260310", "db01_erp_postgresql_20260310" + name), "x");
        var latest = new DbBackupResult
        {
            Server = "db01", Database = "erp", Engine = ProviderKind.PostgreSql, Destination = "", StorageKind = StorageKind.Folder,
            Key = "20260310/db01_erp_postgresql_20260310T020000Z-10.dump", Bytes = 1, Sha256 = "", StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.Zero,
        };
        var found = await BackupRetention.ExpiredAsync(storage, latest, null, 2, new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Equal(["20260310/db01_erp_postgresql_20260310T020000Z-2.dump", "20260310/db01_erp_postgresql_20260310T020000Z.dump"], found.Select(o => o.Key));
    }
}
