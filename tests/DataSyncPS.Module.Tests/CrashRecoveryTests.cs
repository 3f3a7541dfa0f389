using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Runs alone, after the parallel tests: it times real process kills on two cores, and builds
/// the host into a folder of its own without racing HostTests' build of the same project.</summary>
[CollectionDefinition(nameof(CrashRecoveryCollection), DisableParallelization = true)]
public sealed class CrashRecoveryCollection;

/// <summary>
/// DESIGN contract 2 under real crashes: a 200,000-row table goes through the bundled host
/// (<c>Export-SyncBatch | Send-DataSnapBatch</c>, then <c>-Pending</c>) while the DataSnap emulator
/// injects faults on about one call in five, and the host process is killed at random points several
/// times, rerun after each with nothing cleaned up in between. At the end the emulator's confirmed
/// uploads, read back from s3rver, hold every id exactly once.
/// </summary>
[Collection(nameof(CrashRecoveryCollection))]
public sealed class CrashRecoveryTests(BuiltHost host, ITestOutputHelper output) : IClassFixture<BuiltHost>
{
    private const int Rows = 200_000;
    private const int BatchSize = 10_000;
    /// <summary>Seeds the kill plan and the emulator's faults; DATASYNC_CRASH_SEED sets another.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("DATASYNC_CRASH_SEED"), out var s) ? s : 20_240_611;
    private const string Schema = "vendas";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Faults on about 20% of calls, mixed across kinds, with Retry-After kept at 1 s. Rules are
    /// tried in order and the first that fires wins: 1 - 0.92·0.96·0.96·0.98 ≈ 17% of every call, then
    /// 3% of confirms, 5% of PUTs and 2% of token calls on top (the test prints the rate measured).</summary>
    private static readonly string[] FaultPlan =
    [
        // Always at least one expired URL and one lost confirm answer, whatever the dice say.
        "token:expired:next=1",
        "confirm:lost-response:next=1",
        "any:500:percent=8",
        "any:503:percent=4,retry_after=1",
        "any:drop:percent=4",
        "any:429:percent=2,retry_after=1",
        "confirm:lost-response:percent=3",
        "put:reset:percent=3,after_bytes=65536",
        "put:lost-response:percent=2",
        "token:expired:percent=2",
    ];

    /// <summary>The job as a scheduled task would run it. Secrets come from the environment, never argv.
    /// The markers on stdout tell the test where the run is, so kills can be aimed at each phase.</summary>
    private const string Script = """
        param([string] $Table, [string] $OutputDirectory, [string] $StatePath, [string] $ApiUrl)
        $ErrorActionPreference = 'Stop'
        function Mark([string] $text) { [Console]::Out.WriteLine($text); [Console]::Out.Flush() }
        Mark 'started'
        $key = [System.Net.NetworkCredential]::new('', $env:DATASYNC_CRASH_API_KEY).SecurePassword
        $send = @{ Schema = 'vendas'; ApiUrl = $ApiUrl; ApiKey = $key; StatePath = $StatePath; MaxAttempts = 10 }
        $source = Connect-SyncSource -Provider PostgreSql -ConnectionString $env:DATASYNC_CRASH_PG
        Export-SyncBatch -Source $source -Table $Table -Incremental -CursorColumn updated_at -OutputDirectory $OutputDirectory -StatePath $StatePath -BatchSize 10000 -PageSize 7919 |
            ForEach-Object { Mark "exported $($_.Sequence)"; $_ } |
            Send-DataSnapBatch @send |
            ForEach-Object { Mark "sent $($_.Sequence) attempts=$($_.Attempts)" }
        Mark 'pending'
        Send-DataSnapBatch -Pending @send | ForEach-Object { Mark "resent $($_.Sequence) attempts=$($_.Attempts)" }
        Mark 'done'
        """;

    /// <summary>Where a run is killed: <see cref="DelayMs"/> after the <see cref="Count"/>th stdout
    /// line starting with one of <see cref="Markers"/> (none: after the process starts).</summary>
    private sealed record KillPlan(string Aim, string[] Markers, int Count, int DelayMs)
    {
        public override string ToString() =>
            Markers.Length == 0 ? $"{Aim}: {DelayMs} ms after start" : $"{Aim}: {DelayMs} ms after '{string.Join("'/'", Markers)}' #{Count}";
    }

    private sealed record RunResult(int Number, KillPlan? Plan, bool Killed, int ExitCode, TimeSpan Elapsed, string Where, string Output, string Error);

    [Fact]
    public async Task Killed_and_faulted_runs_deliver_every_row_exactly_once()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.RequireS3();
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var table = "crash_" + Guid.NewGuid().ToString("N")[..10];
        var apiKey = "dsk_crash_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

        // Four rows share each cursor value, and the cursor does not follow the id, so batch edges
        // fall inside runs of ties and the keyset (updated_at, id) has to carry the recovery; pages of
        // 7,919 rows put page edges inside batches too.
        ModuleServers.PostgreSql($"""
            CREATE TABLE {table} (id int PRIMARY KEY, payload text NOT NULL, updated_at timestamptz NOT NULL);
            INSERT INTO {table}
            SELECT g, 'pedido nº ' || g || ' ' || md5(g::text), timestamptz '2024-01-01 00:00:00+00' + ((g::bigint * 7919) % 50000) * interval '1 second'
            FROM generate_series(1, {Rows}) g;
            """);

        using var dir = new TempDirectory();
        var options = new DataSnapEmulatorOptions
        {
            Seed = Seed,
            Bucket = "crash-recovery",
            S3Endpoint = new Uri(TestEnvironment.S3),
            S3AccessKey = TestEnvironment.S3AccessKey,
            S3SecretKey = TestEnvironment.S3SecretKey,
            UrlExpiry = TimeSpan.FromSeconds(3), // retries after a fault, and reruns, meet expired URLs
        };
        options.ApiKeys.Add(apiKey);
        foreach (var f in FaultPlan) options.Faults.Add(FaultRule.Parse(f));
        await using var emulator = await DataSnapEmulator.StartAsync(options, ct);
        try
        {
            var script = dir.Combine("crash-job.ps1");
            File.WriteAllText(script, Script);
            var outbox = dir.Combine("outbox");
            var state = dir.Combine("state", "state.db");
            string[] args = ["-File", script, "-Table", table, "-OutputDirectory", outbox, "-StatePath", state, "-ApiUrl", emulator.ApiBaseUrl.ToString()];
            var environment = new Dictionary<string, string>
            {
                ["DATASYNC_CRASH_PG"] = TestEnvironment.PostgreSql,
                ["DATASYNC_CRASH_API_KEY"] = apiKey,
                ["DATASYNCPS_HOME"] = dir.Combine("home"),
            };

            // Kills aimed at each phase, each after a random delay. Once the export is done, a kill aimed
            // at it falls on the outbox drain instead ('resent'); a plan whose marker never comes lets
            // that run finish, which must then succeed.
            KillPlan[] plans =
            [
                new("during export, uploads in flight", ["exported"], random.Next(1, 4), random.Next(0, 150)),
                new("between writing a batch and sending it", ["exported", "resent"], 1, random.Next(0, 40)),
                new("at a random point after the script starts", ["started"], 1, random.Next(0, 1500)),
                new("during export", ["exported", "resent"], random.Next(1, 4), random.Next(0, 300)),
                new("during upload", ["sent", "resent"], random.Next(1, 3), random.Next(0, 300)),
                new("during export", ["exported", "resent"], 1, random.Next(0, 100)),
                new("between the export and the outbox drain", ["pending"], 1, random.Next(0, 400)),
                new("during upload", ["sent", "resent"], 1, random.Next(0, 200)),
                new("while -Pending drains the outbox", ["resent"], random.Next(1, 4), random.Next(0, 300)),
                new("at a random time after process start", [], 0, random.Next(300, 4000)),
                new("during upload", ["sent", "resent"], 1, random.Next(0, 500)),
                new("while -Pending drains the outbox", ["resent"], 1, random.Next(0, 200)),
            ];
            var runs = new List<RunResult>();
            foreach (var plan in plans)
            {
                var run = await RunHostAsync(runs.Count + 1, args, environment, plan, outbox, emulator, ct);
                runs.Add(run);
                Log(run);
                if (!run.Killed)
                    Assert.True(run.ExitCode == 0, $"run {run.Number} ended by itself with exit code {run.ExitCode}:\n{run.Output}\n{run.Error}");
            }
            var final = await RunHostAsync(runs.Count + 1, args, environment, null, outbox, emulator, ct);
            runs.Add(final);
            Log(final);
            Assert.True(final.ExitCode == 0, $"the final run exited {final.ExitCode}:\n{final.Output}\n{final.Error}");
            Assert.Contains("done", final.Output.Split('\n', StringSplitOptions.TrimEntries));

            // Every upload the emulator knows is confirmed: none was begun and then forgotten.
            var all = emulator.Uploads.Snapshot(confirmedOnly: false);
            var unconfirmed = all.Where(u => (string)u["status"]! != "confirmed").Select(u => $"{u["filename"]} ({u["idempotency_key"]})").ToList();
            Assert.True(unconfirmed.Count == 0, $"uploads begun but never confirmed: {string.Join(", ", unconfirmed)}");

            // The union of the confirmed uploads' stored files holds every id once.
            var confirmed = emulator.Uploads.Snapshot(confirmedOnly: true);
            var owner = new string?[Rows + 1];
            var duplicates = new List<string>();
            var outside = new List<long>();
            long rowsInFiles = 0;
            foreach (var upload in confirmed.OrderBy(u => (string)u["filename"]!, StringComparer.Ordinal))
            {
                var name = (string)upload["filename"]!;
                var bytes = await emulator.Store.ReadAsync((string)upload["object_key"]!, ct);
                Assert.True(bytes is not null, $"confirmed upload {name} has no stored object");
                Assert.Equal((string)upload["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                var ids = Ids(bytes);
                Assert.Equal((long)upload["rows"]!, ids.Count);
                rowsInFiles += ids.Count;
                foreach (var id in ids)
                {
                    if (id is < 1 or > Rows) { outside.Add(id); continue; }
                    if (owner[id] is { } first) duplicates.Add($"id {id} in {first} and {name}");
                    else owner[id] = name;
                }
            }
            var missing = Enumerable.Range(1, Rows).Where(id => owner[id] is null).ToList();

            var stats = emulator.Stats();
            var confirmedRows = ((Dictionary<string, long>)stats["confirmed_rows"]!).GetValueOrDefault(Schema);
            var faults = (Dictionary<string, int>)stats["faults_fired"]!;
            var calls = emulator.Calls.Snapshot();
            var faultsByKind = calls.Where(c => c.Fault is not null)
                .GroupBy(c => c.Fault!.Split(':')[1])
                .OrderByDescending(g => g.Count())
                .Select(g => $"{g.Key} ×{g.Count()} ({string.Join(", ", g.GroupBy(c => FaultRule.Name(c.Kind)).Select(k => $"{k.Key} {k.Count()}"))})");
            var expiredPuts = calls.Count(c => c.Kind == CallKind.Put && c.Status == 403);
            var reconfirmed = confirmed.Count(u => (int)u["confirm_count"]! > 1);
            var kills = runs.Where(r => r.Killed).ToList();

            output.WriteLine("");
            output.WriteLine($"seed:                       {Seed} (DATASYNC_CRASH_SEED sets another; kill timing still varies)");
            output.WriteLine($"rows in the table:          {Rows:N0} (batches of {BatchSize:N0})");
            output.WriteLine($"rows in confirmed uploads:  {rowsInFiles:N0}; distinct ids {Rows - missing.Count:N0}; missing {missing.Count}; duplicates found {duplicates.Count}; outside 1..{Rows:N0}: {outside.Count}");
            output.WriteLine($"confirmed uploads:          {confirmed.Count} (emulator counted {stats["confirmed_uploads"]} uploads, {confirmedRows:N0} rows); uploads begun {all.Count}");
            output.WriteLine($"confirmed more than once:   {reconfirmed} upload(s) (lost answers and kills after confirm; counted once)");
            output.WriteLine($"calls:                      {string.Join(", ", ((Dictionary<string, int>)stats["calls"]!).OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
            output.WriteLine($"faults fired:               {faults.Values.Sum()} — {string.Join("; ", faultsByKind)}");
            output.WriteLine($"PUTs answered 403 (URL expired): {expiredPuts}");
            output.WriteLine($"fault rate:                 {(double)faults.Values.Sum() / calls.Count:P1} of {calls.Count} calls");
            output.WriteLine($"runs: {runs.Count}; kills landed: {kills.Count} of {plans.Length} aimed — " +
                             string.Join(", ", kills.GroupBy(k => k.Where[..k.Where.IndexOf(';')]).Select(g => $"{g.Count()} {g.Key}")));
            output.WriteLine($"total time {clock.Elapsed.TotalSeconds:N1}s");

            Assert.True(missing.Count == 0, $"{missing.Count} id(s) never received, e.g. {string.Join(", ", missing.Take(10))}");
            Assert.True(duplicates.Count == 0, $"{duplicates.Count} id(s) in two confirmed uploads, e.g. {string.Join("; ", duplicates.Take(10))}");
            Assert.Empty(outside);
            Assert.Equal((long)Rows, rowsInFiles);
            Assert.Equal((long)Rows, confirmedRows); // each confirmed upload's rows counted once
            Assert.Equal(confirmed.Count, Convert.ToInt32(stats["confirmed_uploads"]));
            Assert.All(confirmed, u => Assert.True((int)u["confirm_count"]! >= 1));
            Assert.True(faults.Values.Sum() > 0, "no fault fired");
            Assert.True(kills.Count >= 5, $"only {kills.Count} kill(s) landed while the host was running");
        }
        finally
        {
            await emulator.ResetAsync(CancellationToken.None); // deletes the stored objects from s3rver
            ModuleServers.PostgreSql($"DROP TABLE IF EXISTS {table}");
        }
    }

    private void Log(RunResult run) =>
        output.WriteLine($"run {run.Number}: {(run.Plan is null ? "final, no kill" : run.Plan.ToString())} -> " +
                         (run.Killed ? $"killed at {run.Elapsed.TotalMilliseconds:N0} ms, {run.Where}" : $"exited {run.ExitCode} at {run.Elapsed.TotalMilliseconds:N0} ms, {run.Where}"));

    /// <summary>Starts the built host; with a plan, kills its whole process tree where the plan aims.</summary>
    private async Task<RunResult> RunHostAsync(int number, string[] args, Dictionary<string, string> environment, KillPlan? plan,
        string outbox, DataSnapEmulator emulator, CancellationToken ct)
    {
        var matched = 0;
        Func<string, bool>? arm = plan is { Markers.Length: > 0 }
            ? line => plan.Markers.Any(m => line == m || line.StartsWith(m + " ", StringComparison.Ordinal)) && Interlocked.Increment(ref matched) == plan.Count
            : null;
        var run = await KilledHost.RunAsync(host.Directory, args, environment, arm, armAtStart: plan is { Markers.Length: 0 }, plan?.DelayMs ?? 0,
            RunTimeout, lines => Where(lines, outbox, emulator), ct);
        return new RunResult(number, plan, run.Killed, run.ExitCode, run.Elapsed, run.AtKill ?? Where(run.Lines, outbox, emulator), run.Output, run.Error);
    }

    /// <summary>Where a run stands, from its stdout markers, the batch files on disk and the emulator.</summary>
    private static string Where(string[] seen, string outbox, DataSnapEmulator emulator)
    {
        int Count(string marker) => seen.Count(l => l.StartsWith(marker + " ", StringComparison.Ordinal));
        var files = Directory.Exists(outbox) ? Directory.EnumerateFiles(outbox, "*.jsonl.gz").Count() : 0;
        var confirmed = emulator.Uploads.Snapshot(confirmedOnly: true).Count;
        var phase = seen.Contains("done") ? "finished"
            : seen.Contains("pending") ? "draining the outbox (-Pending)"
            : Count("exported") + Count("sent") > 0 ? (files < Rows / BatchSize ? "exporting, uploads in flight" : "uploading, export finished")
            : seen.Contains("started") ? "connecting / reading the first page"
            : "host starting";
        return $"{phase}; this run: {Count("exported")} exported, {Count("sent")} sent, {Count("resent")} resent; " +
               $"{files} batch file(s) on disk, {confirmed} confirmed at the emulator";
    }

    private static List<long> Ids(byte[] gzip)
    {
        var ids = new List<long>(BatchSize);
        using var reader = new StreamReader(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            using var row = JsonDocument.Parse(line);
            ids.Add(row.RootElement.GetProperty("id").GetInt64());
        }
        return ids;
    }
}
