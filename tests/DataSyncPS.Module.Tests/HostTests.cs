using System.Diagnostics;
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

    public (int Code, string Output, string Error) Host(params string[] args) =>
        Run("dotnet", [System.IO.Path.Combine(Directory, "DataSyncPS.Host.dll"), .. args], TimeSpan.FromMinutes(2));

    public static (int Code, string Output, string Error) Run(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
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
public class HostTests(BuiltHost host) : IClassFixture<BuiltHost>
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
