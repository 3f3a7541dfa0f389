using System.Net;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Emulators.Tests.Infrastructure;

namespace DataSyncPS.Emulators.Tests;

/// <summary>The emulator as a program: <c>DataSyncPS.Emulators datasnap [options]</c>.</summary>
public sealed class StandaloneTests
{
    [Fact]
    public void Command_line_options_reach_the_emulator()
    {
        var o = DataSnapCommandLine.Parse(["--port", "5090", "--api-key", "a", "--api-key", "b", "--schema", "pedidos=Pedidos",
            "--schema", "itens", "--s3", "http://127.0.0.1:9000", "--bucket", "b1", "--expiry", "30", "--seed", "4",
            "--fault", "confirm:lost-response:next=1", "--direct-s3", "--quiet", "--allow-chunked"]);
        Assert.Equal(5090, o.Port);
        Assert.Equal(["a", "b"], o.ApiKeys);
        Assert.Equal(new Dictionary<string, string> { ["pedidos"] = "Pedidos", ["itens"] = "itens" }, o.Schemas);
        Assert.Equal(new Uri("http://127.0.0.1:9000"), o.S3Endpoint);
        Assert.Equal(("b1", TimeSpan.FromSeconds(30), 4, false, false), (o.Bucket, o.UrlExpiry, o.Seed, o.UseS3Proxy, o.LogCalls));
        Assert.Equal("confirm:lost-response:next=1", Assert.Single(o.Faults).ToString());
        Assert.False(o.RequireContentLength);
        Assert.True(DataSnapCommandLine.Parse([]).RequireContentLength);
        Assert.Throws<FormatException>(() => DataSnapCommandLine.Parse(["--prot", "1"]));
        Assert.Throws<FormatException>(() => DataSnapCommandLine.Parse(["--port"]));
    }

    [Fact]
    public async Task Runs_as_a_program_prints_where_it_is_and_logs_calls_without_the_key()
    {
        S3rver.Require();
        const string key = "standalone-secret-key-4711";
        await using var emulator = await EmulatorProcess.StartAsync("datasnap", "--port", "0", "--api-key", key, "--s3", TestEnvironment.S3,
            "--s3-access-key", TestEnvironment.S3AccessKey, "--s3-secret-key", TestEnvironment.S3SecretKey, "--bucket", TestEmulator.Bucket);
        var api = emulator.Banner["API base URL"];
        Assert.Contains(emulator.BannerLines, l => l.Contains("API key", StringComparison.Ordinal) && l.EndsWith(key, StringComparison.Ordinal));

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, api + "/schemas/vendas") { Headers = { { "X-API-Key", key } } };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logLine = await emulator.ReadLineAsync();
        Assert.Contains("GET    /api/schemas/vendas -> 200 key=valid", logLine);
        Assert.DoesNotContain(key, logLine);
    }

    [Fact]
    public async Task The_etrack_emulator_runs_as_a_program_and_prints_its_url_user_and_key()
    {
        await using var emulator = await EmulatorProcess.StartAsync("etrack", "--port", "0");
        var banner = emulator.Banner;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, banner["API base URL"] + "/veiculos");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(banner["user"] + ":" + banner["API key"])));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ABC1D23", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_auvo_emulator_takes_its_port_and_record_count_from_the_command_line()
    {
        await using var emulator = await EmulatorProcess.StartAsync("auvo", "--port", "0", "--records", "3");
        Assert.Equal("3 per entity", emulator.Banner["records"]);
        Assert.StartsWith("http://127.0.0.1:", emulator.Banner["API base URL"], StringComparison.Ordinal);
    }
}
