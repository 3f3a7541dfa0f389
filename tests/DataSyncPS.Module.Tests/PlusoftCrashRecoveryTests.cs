using System.Diagnostics;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Emulators.Plusoft;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// DESIGN contract 2 for Sync-Plusoft under real crashes: all four entities of Consinco-shaped
/// PostgreSQL tables go through the bundled host to the Plusoft emulator (faults on about one call in
/// six, lost answers included, and sales checked against the stores, products and customers sent
/// before them), the host process is killed at random points several times and rerun with nothing
/// cleaned up in between, and at the end the emulator has received every record exactly once.
/// </summary>
[Collection(nameof(CrashRecoveryCollection))]
public sealed class PlusoftCrashRecoveryTests(BuiltHost host, ITestOutputHelper output) : IClassFixture<BuiltHost>
{
    private const int Filiais = 20, Produtos = 3_000, Clientes = 2_000, Vendas = 20_000;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("DATASYNC_CRASH_SEED"), out var s) ? s : 20_240_715;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);

    private static readonly string[] FaultPlan =
    [
        "any:lost-response:next=1",
        "any:lost-response:percent=5",
        "any:500:percent=5",
        "any:drop:percent=3",
        "any:429:percent=2,retry_after=0",
        "any:503:percent=2,retry_after=1",
    ];

    /// <summary>The nightly job; the token and the database come from the environment, never argv. A
    /// line per batch answered tells the test where the run is.</summary>
    private const string Script = """
        param([string] $ApiUrl, [string] $MappingPath, [string] $StatePath)
        $ErrorActionPreference = 'Stop'
        function Mark([string] $text) { [Console]::Out.WriteLine($text); [Console]::Out.Flush() }
        Mark 'started'
        $token = [System.Net.NetworkCredential]::new('', $env:DATASYNC_CRASH_TOKEN).SecurePassword
        $source = Connect-SyncSource -Provider PostgreSql -ConnectionString $env:DATASYNC_CRASH_PG
        $source | Sync-Plusoft -ApiUrl $ApiUrl -ApiKey $token -MappingPath $MappingPath -StatePath $StatePath -BatchSize 250 -MaxAttempts 10 |
            ForEach-Object { if ($_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftBatchResult') { Mark "sent $($_.Entity) $($_.Sequence) $($_.Status)" } }
        Mark 'done'
        """;

    [Fact]
    public async Task Killed_and_faulted_runs_send_every_record_of_every_entity_exactly_once()
    {
        using var source = new PlusoftSource("PostgreSql", Filiais, Produtos, Clientes, Vendas);
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var options = new PlusoftEmulatorOptions { CheckReferences = true, Seed = Seed };
        foreach (var f in FaultPlan) options.Faults.Add(FaultRule.Parse(f));
        await using var emulator = await PlusoftEmulator.StartAsync(options);

        var script = source.Combine("plusoft-job.ps1");
        File.WriteAllText(script, Script);
        string[] args = ["-File", script, "-ApiUrl", emulator.ApiBaseUrl.ToString(), "-MappingPath", source.MappingPath, "-StatePath", source.Combine("state", "state.db")];
        var environment = new Dictionary<string, string>
        {
            ["DATASYNC_CRASH_PG"] = TestEnvironment.PostgreSql,
            ["DATASYNC_CRASH_TOKEN"] = emulator.Options.Token,
            ["DATASYNCPS_HOME"] = source.Combine("home"),
        };

        // Kills aimed after the Nth batch answered (any entity), each after a random delay; a run whose
        // marker never comes finishes, and must then succeed.
        var runs = new List<(int Number, bool Killed, int Exit, string Where)>();
        var batches = (Filiais + Produtos + Clientes + Vendas) / 250;
        for (var i = 0; i < 8; i++)
        {
            var run = await RunHostAsync(args, environment, random.Next(1, batches / 6), random.Next(0, 400), ct);
            runs.Add((runs.Count + 1, run.Killed, run.ExitCode, run.Where));
            output.WriteLine($"run {runs.Count}: {(run.Killed ? "killed" : $"exited {run.ExitCode}")} after {run.Elapsed.TotalSeconds:N1}s, {run.Where}");
            if (!run.Killed) Assert.True(run.ExitCode == 0, $"run {runs.Count} ended by itself with {run.ExitCode}:\n{run.Output}\n{run.Error}");
        }
        var final = await RunHostAsync(args, environment, null, 0, ct);
        output.WriteLine($"final run: exited {final.ExitCode} after {final.Elapsed.TotalSeconds:N1}s, {final.Where}");
        Assert.True(final.ExitCode == 0, $"the final run exited {final.ExitCode}:\n{final.Output}\n{final.Error}");
        Assert.Contains("done", final.Output.Split('\n', StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("Rejected", final.Output);

        var calls = emulator.Calls.ToArray();
        output.WriteLine($"calls {calls.Length}, faults {calls.Count(c => c.Fault is not null)}, replays {calls.Count(c => c.Replayed)}, " +
                         $"refused {calls.Count(c => c.Status == 400)}; kills landed {runs.Count(r => r.Killed)} of {runs.Count}; {clock.Elapsed.TotalSeconds:N0}s");
        foreach (var (entity, count) in new[] { ("filiais", Filiais), ("produtos", Produtos), ("clientes", Clientes), ("vendas", Vendas) })
        {
            var received = emulator.Received(entity);
            var twice = received.Where(r => r.Value != 1).Select(r => $"{r.Key} x{r.Value}").ToList();
            Assert.True(twice.Count == 0, $"{entity}: {twice.Count} record(s) received more than once, e.g. {string.Join(", ", twice.Take(10))}");
            Assert.Equal(count, received.Count);
            Assert.Equal(count, emulator.Count(entity));
        }
        Assert.Contains(calls, c => c.Replayed);
        Assert.DoesNotContain(calls, c => c.Status == 400);
        Assert.True(runs.Count(r => r.Killed) >= 4, $"only {runs.Count(r => r.Killed)} kill(s) landed while the host was running");
    }

    private sealed record HostRun(bool Killed, int ExitCode, TimeSpan Elapsed, string Where, string Output, string Error);

    /// <summary>Starts the built host; with <paramref name="killAfter"/>, kills its process tree
    /// <paramref name="delayMs"/> ms after the Nth batch is answered.</summary>
    private async Task<HostRun> RunHostAsync(string[] args, Dictionary<string, string> environment, int? killAfter, int delayMs, CancellationToken ct)
    {
        var sent = 0;
        var run = await KilledHost.RunAsync(host.Directory, args, environment,
            killAfter is null ? null : line => line.StartsWith("sent ", StringComparison.Ordinal) && Interlocked.Increment(ref sent) == killAfter,
            armAtStart: false, delayMs, RunTimeout, null, ct);
        var answered = run.Lines.Where(l => l.StartsWith("sent ", StringComparison.Ordinal)).ToList();
        return new HostRun(run.Killed, run.ExitCode, run.Elapsed, $"{answered.Count} batch(es) answered this run, last: {answered.LastOrDefault() ?? "none"}", run.Output, run.Error);
    }
}
