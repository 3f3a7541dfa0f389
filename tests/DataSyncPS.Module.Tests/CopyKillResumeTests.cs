using DataSyncPS.Module.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// Copy-DbStructure -Parallel under real kills: a 200,000-row table copied by the bundled host in key
/// ranges two at a time, the host process killed (SIGKILL, its whole tree) twice while ranges are in
/// flight, and rerun each time with nothing cleaned up in between. The last run resumes, skipping the
/// ranges done before, and at the end the target holds every row of the source exactly once.
/// </summary>
[Collection(nameof(CrashRecoveryCollection))]
public sealed class CopyKillResumeTests(BuiltHost host, ITestOutputHelper output) : IClassFixture<BuiltHost>
{
    private const int Rows = 200_000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);

    /// <summary>Verbose messages go to stdout as they come, so the test sees each range finish.</summary>
    private const string Script = """
        param([string] $Provider, [string] $StatePath)
        $ErrorActionPreference = 'Stop'
        $prod = Connect-SyncSource -Provider $Provider -ConnectionString $env:DATASYNC_COPY_PROD
        $sandbox = Connect-SyncSource -Provider $Provider -ConnectionString $env:DATASYNC_COPY_SANDBOX
        $r = Copy-DbStructure $prod $sandbox -IncludeData vendas -Parallel 2 -BatchSize 1000 -StatePath $StatePath -NoBackup -Confirm:$false -Verbose 4>&1 |
            ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { [Console]::Out.WriteLine('verbose ' + $_.Message); [Console]::Out.Flush() } else { $_ } }
        $t = $r.Tables[0]
        [Console]::Out.WriteLine("result validated=$($r.Validated) rows=$($t.RowsCopied) ranges=$($t.Ranges) resumed=$($t.RangesResumed)")
        """;

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("MariaDb")]
    public async Task A_copy_killed_mid_table_resumes_and_the_target_has_every_row_once(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dbs = new CopyDatabases(provider);
        var pg = provider == "PostgreSql";
        var prod = dbs.Fresh("kill_prod");
        var sandbox = dbs.Fresh("kill_sandbox");
        // Keys with gaps, and rows wide enough that a range takes a moment.
        dbs.Execute(prod,
            "CREATE TABLE vendas (id int PRIMARY KEY, cliente varchar(60) NOT NULL, valor decimal(12,2), nota text)",
            pg ? $"INSERT INTO vendas SELECT g * 2, 'cliente ' || g, g * 1.25, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, {Rows}) g"
               : "SET SESSION max_recursive_iterations = 1000000",
            pg ? "ANALYZE vendas"
               : $"INSERT INTO vendas WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {Rows}) " +
                 "SELECT g * 2, CONCAT('cliente ', g), g * 1.25, CONCAT(MD5(g), MD5(g * 7)) FROM s");

        using var dir = new TempDirectory();
        var script = dir.Combine("copy-job.ps1");
        File.WriteAllText(script, Script);
        var state = dir.Combine("state.db");
        string[] args = ["-File", script, "-Provider", provider, "-StatePath", state];
        var environment = new Dictionary<string, string>
        {
            ["DATASYNC_COPY_PROD"] = prod,
            ["DATASYNC_COPY_SANDBOX"] = sandbox,
            ["DATASYNCPS_HOME"] = dir.Combine("home"),
        };

        var doneBefore = 0;
        foreach (var killAfter in new[] { 2, 1 })
        {
            var run = await RunHostAsync(args, environment, killAfter, ct);
            Assert.True(run.Killed, $"the run ended before the kill ({run.ExitCode}):\n{run.Output}\n{run.Error}");
            var (done, total) = Ranges(state);
            output.WriteLine($"killed after {killAfter} range(s) of this run: {done} of {total} ranges done; target rows {Count(dbs, sandbox)}");
            Assert.True(done > doneBefore, $"the run after {doneBefore} done ranges completed none before its kill");
            Assert.True(done < total, "the copy had finished before the kill");
            doneBefore = done;
        }

        var final = await RunHostAsync(args, environment, killAfter: null, ct);
        output.WriteLine(final.Output.Split('\n').Last(l => l.Length > 0));
        Assert.True(final.ExitCode == 0, $"the resumed run exited {final.ExitCode}:\n{final.Output}\n{final.Error}");
        Assert.Contains($"result validated=True", final.Output);
        Assert.Contains($"resumed={doneBefore} ", final.Output + " ");
        Assert.Equal(Rows, Count(dbs, sandbox));
        Assert.Equal((long)Rows, Convert.ToInt64(dbs.Scalar(sandbox, "SELECT COUNT(DISTINCT id) FROM vendas")));
        const string content = "SELECT SUM(id) + SUM(LENGTH(cliente)) + SUM(LENGTH(nota)) FROM vendas";
        Assert.Equal(Convert.ToDecimal(dbs.Scalar(prod, content)), Convert.ToDecimal(dbs.Scalar(sandbox, content)));
        Assert.Equal((0, 0), Ranges(state)); // forgotten once the copy validated
    }

    private static long Count(CopyDatabases dbs, string cs) => Convert.ToInt64(dbs.Scalar(cs, "SELECT COUNT(*) FROM vendas"));

    /// <summary>Done and planned ranges in the state store the host left behind.</summary>
    private static (int Done, int Total) Ranges(string state)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = state, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(done_run), COUNT(*) FROM copy_ranges";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt32(0), r.GetInt32(1));
    }

    /// <summary>Runs the script in the built host; with <paramref name="killAfter"/>, kills its whole process
    /// tree as soon as that many ranges of this run are reported done.</summary>
    private Task<KilledHost.Run> RunHostAsync(string[] args, Dictionary<string, string> environment, int? killAfter, CancellationToken ct)
    {
        var done = 0;
        Func<string, bool>? arm = killAfter is null ? null
            : line => line.StartsWith("verbose ", StringComparison.Ordinal) && line.Contains("] done,", StringComparison.Ordinal) && Interlocked.Increment(ref done) == killAfter;
        return KilledHost.RunAsync(host.Directory, args, environment, arm, armAtStart: false, delayMs: 0, RunTimeout, describe: null, ct);
    }
}
