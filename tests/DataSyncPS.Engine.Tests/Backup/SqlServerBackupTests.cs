using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>
/// SQL Server's BACKUP DATABASE end to end. SQL Server cannot run here: runs only when
/// DATASYNC_TEST_SQLSERVER holds a connection string and DATASYNC_TEST_SQLSERVER_BACKUP_PATH a folder
/// the server writes and this machine reads (the same folder when both run on one machine); skips
/// otherwise, under CI too. The statement itself is unit-tested in BackupSqlTests.
/// </summary>
public class SqlServerBackupTests
{
    [Fact]
    public async Task A_database_is_backed_up_with_BACKUP_DATABASE_and_uploaded_whole()
    {
        var cs = DataSyncPS.Tests.TestEnvironment.SqlServer;
        var folder = Environment.GetEnvironmentVariable("DATASYNC_TEST_SQLSERVER_BACKUP_PATH");
        if (cs is null || folder is null) Assert.Skip("DATASYNC_TEST_SQLSERVER and DATASYNC_TEST_SQLSERVER_BACKUP_PATH are not set (SQL Server is opt-in).");
        var source = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = ProviderKind.SqlServer, ConnectionString = cs }, test: true, CancellationToken.None);
        using var dir = new TempDirectory();
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Path));
        var result = await DatabaseBackup.RunAsync(source, storage, new BackupOptions { ServerBackupPath = folder, Verify = BackupVerification.Checksum }, new BackupProgress(), CancellationToken.None);
        Assert.EndsWith(".bak", result.Key);
        Assert.Equal(BackupVerification.Checksum, result.Verified);
        Assert.True(result.Bytes > 0);
        Assert.False(File.Exists(Path.Combine(folder, Path.GetFileName(result.Key))), "the server's .bak is deleted after the upload");
    }
}
