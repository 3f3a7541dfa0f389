using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Tests.Backup;

public class BackupNamingTests
{
    [Theory]
    [InlineData("s3://bkp/nightly/erp", StorageKind.S3, "bkp", "nightly/erp", null)]
    [InlineData("s3://bkp", StorageKind.S3, "bkp", "", null)]
    [InlineData("S3://bkp/x/", StorageKind.S3, "bkp", "x", null)]
    public void S3_destinations_parse(string text, StorageKind kind, string bucket, string prefix, string? endpoint)
    {
        var d = BackupDestination.Parse(text, endpoint);
        Assert.Equal((kind, bucket, prefix), (d.Kind, d.Bucket, d.Prefix));
        Assert.Null(d.Endpoint);
    }

    [Fact]
    public void An_endpoint_makes_an_S3_compatible_store_with_path_style()
    {
        var d = BackupDestination.Parse("s3://bkp/p", "http://127.0.0.1:9000/ignored");
        Assert.Equal(StorageKind.S3Compatible, d.Kind);
        Assert.Equal("http://127.0.0.1:9000/", d.Endpoint!.ToString());
        Assert.Equal("s3://bkp/p/20260101/a.dump", d.UriOf("p/20260101/a.dump"));
    }

    [Fact]
    public void R2_takes_the_account_endpoint_and_region_auto()
    {
        var d = BackupDestination.Parse("r2://bkp/db", accountId: "0123456789abcdef0123456789abcdef");
        Assert.Equal(StorageKind.R2, d.Kind);
        Assert.Equal("https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/", d.Endpoint!.ToString());
        Assert.Equal("auto", d.Region);
    }

    [Theory]
    [InlineData("r2://bkp/db")]                 // no account id
    [InlineData("s3://Bad_Bucket/x")]
    [InlineData("ftp://host/x")]
    public void Bad_destinations_are_InvalidArgument(string text)
    {
        var old = Environment.GetEnvironmentVariable("CLOUDFLARE_ACCOUNT_ID");
        Environment.SetEnvironmentVariable("CLOUDFLARE_ACCOUNT_ID", null);
        try
        {
            Assert.Equal(SyncErrorKind.InvalidArgument, Assert.Throws<SyncException>(() => BackupDestination.Parse(text)).Kind);
        }
        finally { Environment.SetEnvironmentVariable("CLOUDFLARE_ACCOUNT_ID", old); }
    }

    [Fact]
    public void Keys_follow_the_date_folders_of_the_old_service()
    {
        var at = new DateTimeOffset(2026, 3, 1, 1, 30, 5, TimeSpan.FromHours(-3));
        Assert.Equal("nightly/20260301/db01_erp_postgresql_20260301T043005Z.dump",
            BackupObjectName.Key("nightly/", "db01", "erp", ProviderKind.PostgreSql, at, ".dump"));
        Assert.Equal("20260301/sql01-PROD_vendas-s-o_mariadb_20260301T043005Z.sql.gz",
            BackupObjectName.Key("", @"sql01\PROD", "vendas s/o", ProviderKind.MariaDb, at, ".sql.gz"));
    }

    [Fact]
    public void Retention_recognises_only_the_same_database_s_backups()
    {
        var stem = BackupObjectName.Stem("db01", "erp", ProviderKind.PostgreSql);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 4, 30, 5, TimeSpan.Zero),
            BackupObjectName.TakenAt("n/20260301/db01_erp_postgresql_20260301T043005Z.dump", "n", stem, ".dump"));
        Assert.Null(BackupObjectName.TakenAt("n/20260301/db01_erp_x_postgresql_20260301T043005Z.dump", "n", stem, ".dump"));
        Assert.Null(BackupObjectName.TakenAt("n/20260301/db01_erp_postgresql_x_20260301T043005Z.dump", "n", stem, ".dump"));
        Assert.Null(BackupObjectName.TakenAt("n/20260301/db01_erp_postgresql_20260301T043005Z.dump", "other", stem, ".dump"));
        Assert.Null(BackupObjectName.TakenAt("n/x/db01_erp_postgresql_20260301T043005Z.dump", "n", stem, ".dump"));
        Assert.Null(BackupObjectName.TakenAt("n/20260301/db01_erp_postgresql_20260301T043005Z.dump.metadata.json", "n", stem, ".dump"));
    }

    [Fact]
    public void A_second_backup_within_the_second_is_numbered_and_still_recognised()
    {
        var key = "n/20260301/db01_erp_mariadb_20260301T043005Z.sql.gz";
        Assert.Equal(key, BackupObjectName.Numbered(key, 1, ".sql.gz"));
        Assert.Equal("n/20260301/db01_erp_mariadb_20260301T043005Z-2.sql.gz", BackupObjectName.Numbered(key, 2, ".sql.gz"));
        var stem = BackupObjectName.Stem("db01", "erp", ProviderKind.MariaDb);
        var at = new DateTimeOffset(2026, 3, 1, 4, 30, 5, TimeSpan.Zero);
        Assert.Equal(at, BackupObjectName.TakenAt(BackupObjectName.Numbered(key, 2, ".sql.gz"), "n", stem, ".sql.gz"));
        Assert.Equal(at, BackupObjectName.TakenAt(BackupObjectName.Numbered(key, 12, ".sql.gz"), "n", stem, ".sql.gz"));
        Assert.Null(BackupObjectName.TakenAt("n/20260301/db01_erp_mariadb_20260301T043005Z-1.sql.gz", "n", stem, ".sql.gz"));
        Assert.Null(BackupObjectName.TakenAt("n/20260301/db01_erp_mariadb_20260301T043005Z-x.sql.gz", "n", stem, ".sql.gz"));
        Assert.Equal(1, BackupObjectName.Number(key, ".sql.gz"));
        Assert.Equal(12, BackupObjectName.Number(BackupObjectName.Numbered(key, 12, ".sql.gz"), ".sql.gz"));
        // A database named like a number keeps its name: only "-n" right after the time counts.
        Assert.Equal(1, BackupObjectName.Number("n/20260301/db01_erp-2_mariadb_20260301T043005Z.sql.gz", ".sql.gz"));
    }
}
