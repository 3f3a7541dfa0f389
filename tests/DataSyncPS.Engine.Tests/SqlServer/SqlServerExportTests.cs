using System.Text;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;
using Microsoft.Data.SqlClient;
using static DataSyncPS.Engine.Tests.Values.ValueRoundTrip;

namespace DataSyncPS.Engine.Tests.SqlServer;

/// <summary>
/// SQL Server cannot run here: these run only when DATASYNC_TEST_SQLSERVER holds a connection string
/// (e.g. "Server=127.0.0.1,1433;User ID=sa;Password=...;TrustServerCertificate=true;Database=datasync_test")
/// and skip otherwise, under CI too.
/// </summary>
public sealed class SqlServerExportTests
{
    private const ProviderKind Mssql = ProviderKind.SqlServer;

    [Theory]
    [InlineData("tinyint", "255", "255")]
    [InlineData("smallint", "-32768", "-32768")]
    [InlineData("int", "2147483647", "2147483647")]
    [InlineData("bigint", "-9223372036854775808", "-9223372036854775808")]
    [InlineData("bit", "1", "true")]
    [InlineData("bit", "0", "false")]
    [InlineData("decimal(14,2)", "10.50", "10.50")]
    [InlineData("decimal(38,10)", "12345678901234567890.0123456789", "12345678901234567890.0123456789")]
    [InlineData("numeric(38,0)", "99999999999999999999999999999999999999", "99999999999999999999999999999999999999")]
    [InlineData("money", "12.34", "12.3400")]
    [InlineData("float", "0.1", "0.1")]
    [InlineData("real", "0.1", "0.1")]
    [InlineData("varchar(10)", "'abc'", "\"abc\"")]
    [InlineData("char(5)", "'ab'", "\"ab   \"")]
    [InlineData("nvarchar(max)", "N'quote \" backslash \\'", "\"quote \\\" backslash \\\\\"")]
    [InlineData("uniqueidentifier", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"")]
    [InlineData("date", "'2024-02-29'", "\"2024-02-29\"")]
    [InlineData("time(7)", "'13:45:30.1234567'", "\"13:45:30.1234567\"")]
    [InlineData("datetime2(7)", "'2024-01-02 03:04:05.1234567'", "\"2024-01-02T03:04:05.1234567+00:00\"")]
    [InlineData("datetime", "'2024-01-02 03:04:05.123'", "\"2024-01-02T03:04:05.123+00:00\"")]
    [InlineData("smalldatetime", "'2024-01-02 03:04:00'", "\"2024-01-02T03:04:00+00:00\"")]
    // datetimeoffset stores its offset, so it keeps it.
    [InlineData("datetimeoffset", "'2024-01-02 03:04:05 +02:00'", "\"2024-01-02T03:04:05+02:00\"")]
    [InlineData("varbinary(10)", "0x00FF10", "\"AP8Q\"")]
    public Task Values(string type, string literal, string json)
    {
        RequireSqlServer();
        return AssertValue(Mssql, type, literal, json);
    }

    [Theory]
    [InlineData("int")]
    [InlineData("decimal(38,10)")]
    [InlineData("float")]
    [InlineData("bit")]
    [InlineData("nvarchar(10)")]
    [InlineData("uniqueidentifier")]
    [InlineData("date")]
    [InlineData("time")]
    [InlineData("datetime2")]
    [InlineData("datetimeoffset")]
    [InlineData("varbinary(10)")]
    public Task NullIsNull(string type)
    {
        RequireSqlServer();
        return AssertValue(Mssql, type, "NULL", "null");
    }

    [Fact]
    public async Task NonAsciiTextIsWrittenAsUtf8NotEscaped()
    {
        RequireSqlServer();
        const string text = "São João nº 5 — ação 😀";
        var exported = await ExportValue(Mssql, "nvarchar(100)", $"N'{text}'");
        Assert.Equal("\"" + text + "\"", exported.RawValue);
        Assert.True(exported.Jsonl.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0);
    }

    [Fact]
    public async Task DatetimeTakesTheSourceTimeZone()
    {
        RequireSqlServer();
        await AssertValue(Mssql, "datetime2(0)", "'2024-01-02 03:04:05'", "\"2024-01-02T03:04:05-03:00\"",
            TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo"));
    }

    // TOP (n) with the OR-chain keyset for real: small pages over cursor ties lose and repeat nothing.
    [Fact]
    public async Task IncrementalPagesOverTiesDeliverEveryRowOnce()
    {
        RequireSqlServer();
        var ct = TestContext.Current.CancellationToken;
        var table = "vt_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new SqlConnection(TestServers.SqlServer);
        await admin.OpenAsync(ct);
        await Execute(admin, $"CREATE TABLE {table} (id int PRIMARY KEY, updated_at datetime2(3) NOT NULL, name nvarchar(20) NOT NULL)", ct);
        try
        {
            var values = string.Join(", ", Enumerable.Range(1, 25).Select(i => $"({i}, DATEADD(minute, {i % 5}, '2024-01-01'), N'row {i}')"));
            await Execute(admin, $"INSERT INTO {table} VALUES {values}", ct);
            using var dir = new TempDirectory();
            var source = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = Mssql, ConnectionString = TestServers.SqlServer }, test: true, ct);
            var request = new ExportRequest
            {
                Source = source, Table = table, OutputDirectory = dir.Combine("out"), StatePath = dir.Combine("state.db"),
                Incremental = true, CursorColumn = "updated_at", PageSize = 4, BatchSize = 10,
            };
            var first = new RecordingObserver();
            await SqlExporter.RunAsync(request, first, new ExportProgress(), ct);
            var ids = BatchFiles.Rows(first.Batches).Select(r => r.GetProperty("id").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(1, 25), ids.Order());

            await Execute(admin, $"INSERT INTO {table} VALUES (26, '2030-01-01', N'late'), (27, '2030-01-01', N'late')", ct);
            var second = new RecordingObserver();
            await SqlExporter.RunAsync(request, second, new ExportProgress(), ct);
            Assert.Equal([26, 27], BatchFiles.Rows(second.Batches).Select(r => r.GetProperty("id").GetInt32()).Order());
        }
        finally
        {
            await Execute(admin, $"DROP TABLE IF EXISTS {table}", CancellationToken.None);
        }
    }

    private static void RequireSqlServer()
    {
        if (string.IsNullOrWhiteSpace(TestServers.SqlServer))
            Assert.Skip("SQL Server tests are opt-in: set DATASYNC_TEST_SQLSERVER to a connection string (SQL Server cannot run on this machine).");
    }

    private static async Task Execute(SqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new SqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
