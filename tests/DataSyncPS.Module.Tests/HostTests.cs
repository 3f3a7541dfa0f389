using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Builds the host as the README says (dotnet build -o DIR) once for the class.</summary>
public sealed class BuiltHost : IDisposable
{
    public BuiltHost()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "datasyncps-host-" + Guid.NewGuid().ToString("N")[..8]);
        var project = System.IO.Path.Combine(RepositoryRoot, "src", "DataSyncPS.Host");
        var (code, output, error) = Run("dotnet", ["build", project, "-c", "Release", "-o", Directory, "-nologo", "-v", "q"], TimeSpan.FromMinutes(5));
        if (code != 0) throw new InvalidOperationException($"dotnet build of the host failed ({code}):\n{output}\n{error}");
    }

    public string Directory { get; }

    public static string RepositoryRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(System.IO.Path.Combine(d.FullName, "DataSyncPS.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("DataSyncPS.sln not found above the test folder.");
        }
    }

    public (int Code, string Output, string Error) Host(params string[] args) => Host(args, "");

    public (int Code, string Output, string Error) Host(string[] args, string input) =>
        Run("dotnet", [System.IO.Path.Combine(Directory, "DataSyncPS.Host.dll"), .. args], TimeSpan.FromMinutes(2), input);

    /// <summary>Runs a program with stdio redirected, as a scheduler does; <paramref name="input"/> is all it reads on stdin.</summary>
    public static (int Code, string Output, string Error) Run(string file, string[] args, TimeSpan timeout, string input = "")
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // pwsh reports telemetry to Microsoft and looks for updates unless told not to; tests talk to 127.0.0.1 only.
        psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(entireProcessTree: true); throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish"); }
        return (p.ExitCode, output.Result, error.Result);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The bundled host, run as CI and servers without pwsh run it.</summary>
public partial class HostTests(BuiltHost host) : IClassFixture<BuiltHost>
{
    [Fact]
    public void Host_built_with_dash_o_finds_the_module_next_to_itself()
    {
        Assert.True(File.Exists(Path.Combine(host.Directory, "DataSyncPS", "DataSyncPS.psd1")));
        Assert.False(File.Exists(Path.Combine(host.Directory, "Npgsql.dll")), "engine dependencies must not sit next to the host, outside the module's load context");
        var (code, output, _) = host.Host("-Command", "Get-Command -Module DataSyncPS");
        Assert.Equal(0, code);
        Assert.Contains("Connect-SyncSource", output);
        Assert.Contains("Export-SyncBatch", output);
        Assert.DoesNotContain("\u001b[", output); // redirected output is plain text
    }

    [Fact]
    public void File_runs_a_script_with_arguments_and_returns_its_exit_code()
    {
        using var dir = new TempDirectory();
        var script = dir.Combine("job.ps1");
        File.WriteAllText(script, "param([string] $Name, [int] $Code) \"hello $Name\"; exit $Code");
        var (code, output, _) = host.Host("-File", script, "-Name", "São Paulo", "-Code", "3");
        Assert.Equal(3, code);
        Assert.Contains("hello São Paulo", output);
        Assert.Equal(0, host.Host("-File", script, "-Name", "x", "-Code", "0").Code);
    }

    [Fact]
    public void A_terminating_error_exits_1_with_the_error_on_stderr()
    {
        using var dir = new TempDirectory();
        var script = dir.Combine("fails.ps1");
        File.WriteAllText(script, "throw 'the job failed'");
        var (code, _, error) = host.Host("-File", script);
        Assert.Equal(1, code);
        Assert.Contains("the job failed", error);

        var (code2, _, error2) = host.Host("-Command", "Connect-SyncSource -Provider Sqlite -Path ./no/such.db");
        Assert.Equal(1, code2);
        Assert.Contains("PathNotFound", error2 + host.Host("-Command", "try { Connect-SyncSource -Provider Sqlite -Path ./no/such.db } catch { $_.FullyQualifiedErrorId }").Output);
    }

    [Fact]
    public void Failing_scripts_and_commands_exit_1_and_exit_N_exits_N()
    {
        using var dir = new TempDirectory();
        const string failingCmdlet = "$ErrorActionPreference = 'Stop'; Connect-SyncSource -Provider Sqlite -Path ./no/such.db; 'not reached'";
        var script = dir.Combine("stop-on-error.ps1");
        File.WriteAllText(script, failingCmdlet);
        var (code, output, error) = host.Host("-File", script);
        Assert.Equal(1, code);
        Assert.DoesNotContain("not reached", output);
        Assert.Contains("PathNotFound", error);

        (code, output, error) = host.Host("-Command", failingCmdlet);
        Assert.Equal(1, code);
        Assert.DoesNotContain("not reached", output);
        Assert.Contains("PathNotFound", error);

        Assert.Equal(1, host.Host("-Command", "throw 'the job failed'").Code);
        Assert.Equal(3, host.Host("-Command", "'working'; exit 3").Code);
    }

    /// <summary>
    /// DESIGN contract 9: Ctrl+C (SIGINT) or SIGTERM (systemd, Docker, a stopped scheduled task) in the
    /// middle of an export stops the pipeline as Ctrl+C in pwsh does — the query is cancelled, the open
    /// batch discarded — and the host exits 128 + the signal with one line on stderr, so a scheduler
    /// never records success. A background job of a non-interactive shell starts with SIGINT ignored;
    /// the host stops on it all the same.
    /// </summary>
    [Theory]
    [InlineData(Sigint, false, false)]
    [InlineData(Sigint, false, true)]
    [InlineData(Sigterm, false, false)]
    [InlineData(Sigint, true, true)]
    [InlineData(Sigterm, true, false)]
    public void A_signal_mid_export_stops_the_run_exits_128_plus_the_signal_and_a_rerun_delivers_the_rest(int signal, bool command, bool startedWithSigintIgnored)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        ModuleServers.RequirePostgreSql();
        const int rows = 300_000, batchSize = 10_000;
        var table = "host_stop_" + Guid.NewGuid().ToString("N")[..8];
        ModuleServers.PostgreSql($"""
            CREATE TABLE {table} (id int PRIMARY KEY, payload text, changed timestamp NOT NULL);
            INSERT INTO {table} SELECT g, repeat(md5(g::text), 4), timestamp '2024-01-01' + (g / 7) * interval '1 second'
            FROM generate_series(1, {rows}) g;
            """);
        try
        {
            using var dir = new TempDirectory();
            var (outbox, state) = (dir.Combine("out"), dir.Combine("state.db"));
            var export = $"Connect-SyncSource -Provider PostgreSql -ConnectionString $env:DATASYNC_STOP_PG | Export-SyncBatch -Table {table} " +
                         $"-Incremental -CursorColumn changed -OutputDirectory '{outbox}' -StatePath '{state}' -BatchSize {batchSize} -PageSize {batchSize} -CompressionLevel SmallestSize";
            string[] args = ["-Command", export];
            if (!command)
            {
                File.WriteAllText(dir.Combine("job.ps1"), export);
                args = ["-File", dir.Combine("job.ps1")];
            }

            using var run = new HostProcess(host, args, startedWithSigintIgnored);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox, "*.jsonl.gz").Any()))
            {
                Assert.False(run.Process.HasExited, $"the host ended before its first batch:\n{run.Output}\n{run.Error}");
                Assert.True(DateTime.UtcNow < deadline, "no batch file came out");
                Thread.Sleep(20);
            }
            // The state store is held a moment: a host that exits without waiting for the engine to
            // record the run does so meanwhile, and leaves the run recorded as still running.
            using (StateDatabase.HoldWriteLock(state))
            {
                run.Signal(signal);
                run.Process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            var code = run.WaitForExit(TimeSpan.FromMinutes(2));

            var batchFiles = Directory.GetFiles(outbox, "*.jsonl.gz");
            Assert.True(code == 128 + signal, $"exit code {code}, expected {128 + signal}, with {batchFiles.Length} of {rows / batchSize} batches written:\n{run.Output}\n{run.Error}");
            Assert.True(batchFiles.Length < rows / batchSize, "the export finished before it could be stopped");
            var errorLines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(errorLines.Length == 1 && errorLines[0].StartsWith("Stopped", StringComparison.Ordinal), $"stderr:\n{run.Error}");
            Assert.Empty(Directory.GetFiles(outbox, "*.tmp"));

            // The run is recorded as failed, and the stream's watermark is that of its last committed batch.
            Assert.Equal("Stopped", StateDatabase.Query(state, "SELECT status FROM runs ORDER BY id DESC LIMIT 1").Single()[0]);
            var batches = StateDatabase.Query(state, "SELECT watermark FROM batches ORDER BY sequence");
            Assert.Equal(batchFiles.Length, batches.Count);
            Assert.Equal(batches[^1][0], StateDatabase.Query(state, "SELECT watermark FROM streams").Single()[0]);

            using var rerun = new HostProcess(host, args, sigintIgnored: false);
            var rerunCode = rerun.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(rerunCode == 0 && rerun.Error.Length == 0, $"the rerun exited {rerunCode}:\n{rerun.Output}\n{rerun.Error}");
            var ids = Directory.GetFiles(outbox, "*.jsonl.gz").SelectMany(ExportSyncBatchTests.ReadLines)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt32()).ToList();
            Assert.Equal(rows, ids.Count);
            Assert.Equal(rows, ids.Distinct().Count());
        }
        finally
        {
            ModuleServers.PostgreSql($"DROP TABLE IF EXISTS {table}");
        }
    }

    private const int Sigint = 2, Sigterm = 15;

    /// <summary>The host started as a scheduler starts it (stdio redirected), optionally through a shell
    /// that ignores SIGINT first, as a non-interactive shell does for its background jobs.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly ConcurrentQueue<string> _output = new(), _error = new();

        public HostProcess(BuiltHost host, string[] args, bool sigintIgnored)
        {
            var hostDll = Path.Combine(host.Directory, "DataSyncPS.Host.dll");
            var psi = sigintIgnored ? new ProcessStartInfo("/bin/sh") : new ProcessStartInfo("dotnet");
            if (sigintIgnored) foreach (var a in (string[])["-c", "trap '' INT; exec \"$0\" \"$@\"", "dotnet"]) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add(hostDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.RedirectStandardOutput = psi.RedirectStandardError = psi.RedirectStandardInput = true;
            psi.Environment["DATASYNC_STOP_PG"] = TestEnvironment.PostgreSql;
            Process = new Process { StartInfo = psi };
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _error.Enqueue(e.Data); };
            Process.Start();
            Process.StandardInput.Close();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }
        public string Output => string.Join('\n', _output);
        public string Error => string.Join('\n', _error);

        public void Signal(int signal) => Assert.Equal(0, kill(Process.Id, signal));

        public int WaitForExit(TimeSpan timeout)
        {
            if (!Process.WaitForExit(timeout)) Assert.Fail($"the host did not exit within {timeout.TotalMinutes} min:\n{Output}\n{Error}");
            Process.WaitForExit(); // drains the redirected streams
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }

    [Fact]
    public void The_readme_main_job_runs_the_quickstart()
    {
        using var dir = new TempDirectory();
        var quickstart = Path.Combine(BuiltHost.RepositoryRoot, "examples", "quickstart.ps1");
        var (code, output, error) = host.Host("-File", quickstart, "-OutputDirectory", dir.Combine("out"), "-StatePath", dir.Combine("state.db"));
        Assert.True(code == 0, error);
        Assert.Contains("vendas-000001.jsonl.gz", output);
        Assert.Contains("0 new batch(es)", output);
    }
}
