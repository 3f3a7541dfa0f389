using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Emulators.Seq;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>The module's logging as an admin sets it up once and reads it the next morning: daily log
/// files and Seq from every cmdlet, picked up by a run whose script says nothing about logging, and
/// never a secret in either.</summary>
[Collection(nameof(SecretHomeCollection))]
public class SyncLoggingTests
{
    private const string DataSnapKey = "dsk_test_Log-Canary-6620-key";
    private const string SeqKey = "seq_Log-Canary-9134-key";

    private static string Secure(string variable) => $"([System.Net.NetworkCredential]::new('', ${variable}).SecurePassword)";

    private static string CreateTable(int rows)
    {
        var table = "lg_" + Guid.NewGuid().ToString("N")[..10];
        ModuleServers.PostgreSql($"""
            CREATE TABLE {table} (id int PRIMARY KEY, nome text, atualizado timestamp NOT NULL);
            INSERT INTO {table} SELECT g, 'Ação nº ' || g, timestamp '2024-01-01' + g * interval '1 minute' FROM generate_series(1, {rows}) g;
            GRANT SELECT ON {table} TO {ModuleServers.SecretUser};
            """);
        return table;
    }

    private static IEnumerable<JsonElement> Events(SeqReceiver seq) => seq.Lines.Select(l => JsonDocument.Parse(l).RootElement);

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";

    [Fact]
    public async Task A_nightly_export_and_send_logs_run_stream_and_counts_to_files_and_Seq_and_no_secret()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.RequireS3();
        using var homes = new SecretHomes();
        await using var seq = await SeqReceiver.StartAsync(SeqKey);
        var options = new DataSnapEmulatorOptions { Seed = 3, Bucket = "module-tests" };
        options.ApiKeys.Add(DataSnapKey);
        await using var snap = await DataSnapEmulator.StartAsync(options);
        using var dir = new TempDirectory();
        var table = CreateTable(25);
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql);
        var vars = new Dictionary<string, object?>
        {
            ["logs"] = dir.Combine("logs"), ["seq"] = seq.Url, ["seqKey"] = SeqKey, ["dsKey"] = DataSnapKey,
            ["user"] = ModuleServers.SecretUser, ["password"] = ModuleServers.SecretPassword,
            ["server"] = pg.Host, ["port"] = pg.Port, ["db"] = pg.Database, ["table"] = table,
            ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db"), ["api"] = snap.ApiBaseUrl,
        };

        // Once, by the admin: keys saved, logging set for the user the job runs as.
        using (var setup = new ModuleRunspace())
        {
            setup.Run($"""
                Save-SyncSecret -Name seq -ApiKey {Secure("seqKey")} -SkipValidation | Out-Null
                Save-SyncSecret -Name datasnap -ApiKey {Secure("dsKey")} -SkipValidation | Out-Null
                Save-SyncSecret -Name erp-reader -Credential ([pscredential]::new($user, {Secure("password")})) | Out-Null
                Set-SyncLogging -Path $logs -Level Verbose -SeqUrl $seq -SeqApiKeyName seq
                """, vars).AssertNoErrors();
        }

        // The nightly script, in a session of its own: not a word about logging.
        using var rs = new ModuleRunspace();
        var run = rs.Run("""
            Connect-SyncSource -Provider PostgreSql -Server $server -Port $port -Database $db -Credential erp-reader |
                Export-SyncBatch -Table $table -Incremental -CursorColumn atualizado -OutputDirectory $out -StatePath $state -BatchSize 10 |
                Send-DataSnapBatch -Schema vendas -ApiUrl $api -ApiKey datasnap -StatePath $state -Verbose
            """, vars).AssertNoErrors();
        Assert.Equal(3, run.Output.Count);
        Assert.Empty(run.Warnings);
        var failed = rs.Run("Connect-SyncSource -Provider PostgreSql -Server $server -Port $port -Database $db -Credential erp-reader | Export-SyncBatch -Table no_such_table_here -OutputDirectory $out -StatePath $state", vars);
        Assert.Equal("TableNotFound", Assert.Single(failed.Errors).FullyQualifiedErrorId.Split(',')[0]);

        var files = Directory.GetFiles(dir.Combine("logs"));
        Assert.Equal(Path.GetFileName(Assert.Single(files)), $"DataSyncPS-{DateTime.Now:yyyy-MM-dd}.log");
        var text = File.ReadAllText(files[0]);
        var bodies = string.Join("\n", seq.Requests.Select(r => r.Body));

        // No secret anywhere: the database password, the DataSnap key, the Seq key.
        foreach (var secret in new[] { ModuleServers.SecretPassword, DataSnapKey, SeqKey })
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(secret, bodies);
        }
        Assert.DoesNotContain("X-Amz-Signature", text);

        // Seq got every body with its key and a Content-Length, none chunked.
        Assert.NotEmpty(seq.Requests);
        Assert.All(seq.Requests, r =>
        {
            Assert.Equal(SeqKey, r.ApiKey);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(r.Body), r.ContentLength);
            Assert.Null(r.TransferEncoding);
        });

        // Every cmdlet's run, its stream and counts; the same run ids in the file as in Seq.
        var events = Events(seq).ToList();
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(Text(e, "RunId"))));
        JsonElement End(string cmdlet) => Assert.Single(events, e => Text(e, "Cmdlet") == cmdlet && Text(e, "Status") == "Succeeded");
        var export = End("Export-SyncBatch");
        var send = End("Send-DataSnapBatch");
        Assert.Contains(events, e => Text(e, "Cmdlet") == "Connect-SyncSource" && Text(e, "Status") == "Succeeded");
        Assert.Single(events, e => Text(e, "Cmdlet") == "Export-SyncBatch" && Text(e, "Status") == "CompletedWithErrors" && Text(e, "@l") == "Warning");
        foreach (var end in new[] { export, send })
        {
            Assert.Equal(25, end.GetProperty("Rows").GetInt64());
            Assert.Equal(3, end.GetProperty("Batches").GetInt64());
            Assert.True(end.GetProperty("Bytes").GetInt64() > 0);
            Assert.True(end.TryGetProperty("DurationMs", out _));
            Assert.Contains(table, Text(end, "Stream"));
            var runId = Text(end, "RunId");
            Assert.Contains($"run={runId}", text);
            Assert.Equal(["Information"], events.Where(e => Text(e, "RunId") == runId && Text(e, "@l") != "Verbose").Select(e => Text(e, "@l")).Distinct());
        }
        Assert.NotEqual(Text(export, "RunId"), Text(send, "RunId"));
        // Per batch and per run, never per row: start, three batches, the stream's summary, the end.
        Assert.Equal(6, events.Count(e => Text(e, "RunId") == Text(export, "RunId") && Text(e, "@l") != "Verbose"));
        Assert.Equal(3, events.Count(e => Text(e, "Cmdlet") == "Send-DataSnapBatch" && Text(e, "@m").Contains("confirmed by DataSnap")));
        Assert.Matches($@"\[INF\] Export-SyncBatch: Export-SyncBatch completed: 25 row\(s\) in 3 batch\(es\).* \| stream={table} rows=25 batches=3 bytes=\d+ duration=", text);
        Assert.Matches($@"\[INF\] Send-DataSnapBatch: Batch {table} #3 confirmed by DataSnap schema 'vendas'", text);
        Assert.Contains("[VRB] Export-SyncBatch: ", text); // -Level Verbose: the SQL went too
        Assert.Contains("-Credential (secret)", text);
        Assert.Contains("-ApiKey (secret)", text);

        // The failed export: its error with its ErrorId, in both.
        Assert.Matches(@"\[ERR\] Export-SyncBatch: .*no_such_table_here.* \| error=TableNotFound ", text);
        Assert.Single(events, e => Text(e, "ErrorId") == "TableNotFound" && Text(e, "@l") == "Error");
    }

    [Fact]
    public void A_dead_Seq_costs_one_warning_and_the_runs_go_on_with_their_files()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["logs"] = dir.Combine("logs"), ["seq"] = ClosedPort(), ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db") };
        rs.Run("Set-SyncLogging -Scope Session -Path $logs -SeqUrl $seq", vars).AssertNoErrors();
        const string Export = "1..25 | ForEach-Object { [pscustomobject]@{ id = $_ } } | Export-SyncBatch -Stream dead-seq -OutputDirectory $out -StatePath $state -BatchSize 10";

        var first = rs.Run(Export, vars).AssertNoErrors();
        var second = rs.Run(Export, vars).AssertNoErrors();

        Assert.Equal(3, first.Output.Count);
        Assert.Equal(3, second.Output.Count);
        var warning = Assert.Single(first.Warnings.Concat(second.Warnings));
        Assert.Contains("not reaching Seq", warning);
        var text = File.ReadAllText(Assert.Single(Directory.GetFiles(dir.Combine("logs"))));
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains("Export-SyncBatch completed: 25 row(s) in 3 batch(es)")));
    }

    [Fact]
    public async Task A_session_key_goes_to_Seq_and_is_shown_nowhere()
    {
        await using var seq = await SeqReceiver.StartAsync(SeqKey);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["seq"] = seq.Url, ["seqKey"] = SeqKey, ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db") };

        var set = rs.Run($"$s = Set-SyncLogging -Scope Session -SeqUrl $seq -SeqApiKey {Secure("seqKey")} -Format Clef -PassThru; $s.HasSessionSeqApiKey; $s.PSObject.Properties | ForEach-Object {{ \"$($_.Value)\" }}", vars).AssertNoErrors();
        Assert.True((bool)set.Output[0].BaseObject);
        Assert.DoesNotContain(set.Output.Skip(1), o => o.ToString().Contains(SeqKey));
        rs.Run("1..5 | ForEach-Object { [pscustomobject]@{ id = $_ } } | Export-SyncBatch -Stream session-key -OutputDirectory $out -StatePath $state", vars).AssertNoErrors();

        Assert.NotEmpty(seq.Requests);
        Assert.All(seq.Requests, r => Assert.Equal(SeqKey, r.ApiKey));
        Assert.Contains(Events(seq), e => Text(e, "Stream") == "session-key" && Text(e, "Status") == "Succeeded" && e.GetProperty("Rows").GetInt64() == 5);
        Assert.DoesNotContain(SeqKey, string.Join("\n", seq.Requests.Select(r => r.Body)));
    }

    [Fact]
    public void The_session_overrides_the_user_which_overrides_the_machine_and_Clear_and_Disable_say_so()
    {
        using var homes = new SecretHomes();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["m"] = dir.Combine("machine-logs"), ["u"] = dir.Combine("user-logs"), ["s"] = dir.Combine("session-logs") };
        dynamic Effective() => rs.Run("Get-SyncLogging", vars).AssertNoErrors().Single();

        Assert.False((bool)Effective().Enabled);
        Assert.Null(Effective().Scope);
        rs.Run("Set-SyncLogging -Scope Machine -Path $m -RetainDays 30", vars).AssertNoErrors();
        Assert.Equal("Machine", Effective().Scope.ToString());
        Assert.Equal(30, (int)Effective().RetainDays);
        Assert.True(File.Exists(Path.Combine(homes.Machine, "logging.json")));
        rs.Run("Set-SyncLogging -Path $u -Format Clef", vars).AssertNoErrors();
        Assert.Equal("User", Effective().Scope.ToString());
        Assert.Equal(Path.Combine(dir.Combine("user-logs"), $"DataSyncPS-{DateTime.Now:yyyy-MM-dd}.clef"), (string)Effective().CurrentFile);
        rs.Run("Set-SyncLogging -Scope Session -Path $s", vars).AssertNoErrors();
        Assert.Equal("Session", Effective().Scope.ToString());

        // A new session (a scheduled run) sees the saved user setting, not this session's.
        using (var other = new ModuleRunspace())
            Assert.Equal("User", other.Run("(Get-SyncLogging).Scope.ToString()").AssertNoErrors().Single<string>());

        Assert.Equal(["Session", "User", "Machine"], rs.Run("Get-SyncLogging -Scope Session, User, Machine | ForEach-Object { $_.Scope.ToString() }").AssertNoErrors().Output.Select(o => o.ToString()));
        rs.Run("Set-SyncLogging -Scope Session -Disable", vars).AssertNoErrors();
        Assert.False((bool)Effective().Enabled);
        Assert.Equal("Session", Effective().Scope.ToString());
        rs.Run("Set-SyncLogging -Scope Session -Clear; Set-SyncLogging -Scope User -Clear", vars).AssertNoErrors();
        Assert.Equal("Machine", Effective().Scope.ToString());
        Assert.False(File.Exists(Path.Combine(homes.User, "logging.json")));

        // What the cmdlets logged meanwhile went where the setting in force said.
        Assert.True(Directory.Exists(dir.Combine("machine-logs")));
        Assert.True(Directory.Exists(dir.Combine("user-logs")));
        Assert.True(Directory.Exists(dir.Combine("session-logs")));
    }

    [Fact]
    public void Bad_settings_are_refused_and_WhatIf_saves_nothing()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        var vars = new Dictionary<string, object?> { ["k"] = "x", ["logs"] = "/tmp/never-made" };

        string Id(string script) => Assert.Single(rs.Run(script, vars).Errors).FullyQualifiedErrorId;
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SetSyncLoggingCommand", Id("Set-SyncLogging"));
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SetSyncLoggingCommand", Id($"Set-SyncLogging -SeqUrl http://seq01:5341 -SeqApiKey {Secure("k")}"));
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SetSyncLoggingCommand", Id("Set-SyncLogging -SeqUrl ftp://seq01/"));
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SetSyncLoggingCommand", Id("Set-SyncLogging -Path $logs -SeqApiKeyName seq"));
        rs.Run("Set-SyncLogging -Path $logs -WhatIf; Set-SyncLogging -Scope Machine -Path $logs -WhatIf", vars).AssertNoErrors();
        Assert.Empty(homes.Files());

        // A damaged settings file: a warning, and the cmdlets still work.
        Directory.CreateDirectory(homes.User);
        File.WriteAllText(Path.Combine(homes.User, "logging.json"), "{ not json");
        var r = rs.Run("Get-SyncSecret");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Warnings, w => w.Contains("logging.json") && w.Contains("not valid"));
    }

    private static Uri ClosedPort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
