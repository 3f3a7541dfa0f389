using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Npgsql;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>A PostgreSQL database of its own (datasync_h9_mt_...) with a few tables, a view, a function
/// and a trigger; dropped afterwards with the databases restored from it.</summary>
public sealed class BackupPostgreSqlDatabase : IDisposable
{
    private readonly List<string> _drop = new();

    /// <param name="bigRows">Rows of 96 hex characters in a table 'big' (200,000 make a dump of about 10 MB).</param>
    public BackupPostgreSqlDatabase(int rows = 2000, int bigRows = 0)
    {
        ModuleServers.RequirePostgreSql();
        Name = "datasync_h9_mt_" + Guid.NewGuid().ToString("N")[..10];
        OnServer($"CREATE DATABASE {Name}");
        _drop.Add(Name);
        Execute($"""
            CREATE TABLE vendas (id int PRIMARY KEY, cliente text, valor numeric(12,2));
            INSERT INTO vendas SELECT i, 'cliente ' || i, i * 1.25 FROM generate_series(1, {rows}) i;
            CREATE VIEW caras AS SELECT * FROM vendas WHERE valor > 100;
            CREATE FUNCTION dobro(x numeric) RETURNS numeric LANGUAGE sql AS 'SELECT x * 2';
            CREATE TABLE big (id int PRIMARY KEY, payload text);
            INSERT INTO big SELECT i, md5(i::text) || md5((i * 7)::text) || md5((i * 13)::text) FROM generate_series(1, {bigRows}) i;
            """);
    }

    public string Name { get; }

    public string ConnectionString(string? database = null) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql) { Database = database ?? Name }.ConnectionString;

    public string NewTarget()
    {
        var name = Name + "_r" + _drop.Count;
        _drop.Add(name);
        return name;
    }

    public void Execute(string sql, string? database = null)
    {
        using var c = new NpgsqlConnection(ConnectionString(database));
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql, string? database = null)
    {
        using var c = new NpgsqlConnection(ConnectionString(database));
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    private static void OnServer(string sql)
    {
        using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql) { Database = "postgres" }.ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var d in _drop)
            try { OnServer($"DROP DATABASE IF EXISTS {d} WITH (FORCE)"); } catch { }
    }
}

/// <summary>A bucket of its own on s3rver, emptied and removed afterwards.</summary>
public sealed class BackupBucket : IDisposable
{
    public BackupBucket()
    {
        ModuleServers.RequireS3();
        Client = new AmazonS3Client(new BasicAWSCredentials(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey), new AmazonS3Config
        {
            ServiceURL = TestEnvironment.S3, ForcePathStyle = true, UseHttp = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        Client.PutBucketAsync(new PutBucketRequest { BucketName = Name }).GetAwaiter().GetResult();
    }

    public string Name { get; } = "h9-module-" + Guid.NewGuid().ToString("N")[..12];
    public AmazonS3Client Client { get; }

    public List<string> Keys() => (Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name }).GetAwaiter().GetResult().S3Objects ?? [])
        .Select(o => o.Key).ToList();

    public void Dispose()
    {
        try
        {
            foreach (var k in Keys()) Client.DeleteObjectAsync(Name, k).GetAwaiter().GetResult();
            Client.DeleteBucketAsync(Name).GetAwaiter().GetResult();
        }
        catch { }
        Client.Dispose();
    }
}

/// <summary>The mails maildev caught (.ci/servers.sh runs it on 127.0.0.1:1025, API on 1080).</summary>
public static class MailCatcher
{
    public static void Require()
    {
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            tcp.Connect(TestEnvironment.SmtpHost, TestEnvironment.SmtpPort);
        }
        catch (System.Net.Sockets.SocketException ex) { TestEnvironment.ServerMissing("maildev (SMTP)", ex.Message); }
    }

    /// <summary>Mails whose subject contains <paramref name="marker"/>: subject, text, recipients.</summary>
    public static List<(string Subject, string Text, string[] To)> Find(string marker)
    {
        using var http = new HttpClient();
        var all = http.GetFromJsonAsync<JsonElement>(TestEnvironment.MailApi.TrimEnd('/') + "/email").GetAwaiter().GetResult();
        return all.EnumerateArray()
            .Where(m => m.GetProperty("subject").GetString()?.Contains(marker, StringComparison.Ordinal) == true)
            .Select(m => (m.GetProperty("subject").GetString()!, m.GetProperty("text").GetString() ?? "",
                m.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!).ToArray()))
            .ToList();
    }
}
