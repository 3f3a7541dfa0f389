using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Ctrl+C (PowerShell.Stop) during an export: the query is cancelled, no half-written batch
/// stays behind, the watermark is that of the last complete batch, and a rerun delivers exactly the rest.</summary>
public class CancellationTests
{
    [Fact]
    public void Stopping_an_export_leaves_complete_batches_only_and_a_rerun_delivers_the_rest_exactly_once()
    {
        ModuleServers.RequirePostgreSql();
        const int rows = 300_000;
        var table = "mt_stop_" + Guid.NewGuid().ToString("N")[..8];
        ModuleServers.PostgreSql($"""
            CREATE TABLE {table} (id int PRIMARY KEY, payload text, changed timestamp NOT NULL);
            INSERT INTO {table} SELECT g, repeat(md5(g::text), 4), timestamp '2024-01-01' + (g / 7) * interval '1 second'
            FROM generate_series(1, {rows}) g;
            """);
        using var dir = new TempDirectory();
        var vars = new Dictionary<string, object?> { ["cs"] = TestEnvironment.PostgreSql, ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db") };
        var export = $"Connect-SyncSource -Provider PostgreSql -ConnectionString $cs | Export-SyncBatch -Table {table} -Incremental -CursorColumn changed -OutputDirectory $out -StatePath $state -BatchSize 20000 -PageSize 20000 -CompressionLevel SmallestSize";

        using var rs = new ModuleRunspace();
        foreach (var (k, v) in vars) rs.Runspace.SessionStateProxy.SetVariable(k, v);
        using var ps = PowerShell.Create(rs.Runspace);
        ps.AddScript(export);
        var output = new PSDataCollection<PSObject>();
        var firstBatch = new ManualResetEventSlim();
        output.DataAdded += (_, _) => firstBatch.Set();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        Assert.True(firstBatch.Wait(TimeSpan.FromMinutes(2)), "no batch came out");
        // Stop returns only once the engine has cleaned up and recorded the run: a host process exits
        // right after it. The state store is held a moment so that a Stop that does not wait shows.
        var state = dir.Combine("state.db");
        string? lastRunWhenStopped = null;
        Task stop;
        using (StateDatabase.HoldWriteLock(state))
        {
            stop = Task.Run(ps.Stop, TestContext.Current.CancellationToken);
            if (stop.Wait(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)) lastRunWhenStopped = LastRun(state);
        }
        stop.Wait(TestContext.Current.CancellationToken);
        Assert.Equal("Stopped", lastRunWhenStopped ?? LastRun(state));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        var before = output.Count;
        Assert.True(before < rows / 20000, "the export finished before it could be stopped");
        Assert.Empty(Directory.GetFiles(dir.Combine("out"), "*.tmp"));

        var rerun = rs.Run(export, vars).AssertNoErrors();
        Assert.NotEmpty(rerun.Output);
        // The folder is the outbox: a batch committed just as the pipeline stopped is on disk (and in the
        // state store for a later send) even if it never reached the pipeline.
        var ids = Directory.GetFiles(dir.Combine("out"), "*.jsonl.gz").SelectMany(ExportSyncBatchTests.ReadLines)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(rows, ids.Count);
        Assert.Equal(rows, ids.Distinct().Count());
    }

    [Fact]
    public void Stopping_an_export_of_piped_objects_discards_the_open_batch_and_records_the_run_as_stopped()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Runspace.SessionStateProxy.SetVariable("out", dir.Combine("out"));
        rs.Runspace.SessionStateProxy.SetVariable("state", dir.Combine("state.db"));
        using var ps = PowerShell.Create(rs.Runspace);
        ps.AddScript("1..10000000 | ForEach-Object { [pscustomobject]@{ id = $_; nome = 'x' } } | Export-SyncBatch -Stream piped -OutputDirectory $out -StatePath $state -BatchSize 1000");
        var output = new PSDataCollection<PSObject>();
        var firstBatch = new ManualResetEventSlim();
        output.DataAdded += (_, _) => firstBatch.Set();
        ps.BeginInvoke<PSObject, PSObject>(null, output);
        Assert.True(firstBatch.Wait(TimeSpan.FromMinutes(2)), "no batch came out");

        ps.Stop();

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal("Stopped", LastRun(dir.Combine("state.db")));
        Assert.Empty(Directory.GetFiles(dir.Combine("out"), "*.tmp"));
    }

    private static string? LastRun(string state) =>
        (string?)StateDatabase.Query(state, "SELECT status FROM runs ORDER BY id DESC LIMIT 1").Single()[0];
}
