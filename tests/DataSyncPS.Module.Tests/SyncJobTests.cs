using DataSyncPS.Module.Tests.Infrastructure;
using Npgsql;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// Register-, Get-, Unregister- and Test-SyncJob as an admin uses them, with DATASYNCPS_JOB_ROOT sending
/// every file into a temporary folder and the scheduler commands into its scheduler-commands.log (nothing
/// reaches systemctl, crontab or schtasks). The variables are process-wide: these tests run alone.
/// </summary>
[Collection(nameof(SecretHomeCollection))]
public sealed class SyncJobTests : IDisposable
{
    private readonly SecretHomes _homes = new();
    private readonly TempDirectory _dir = new();
    private readonly string? _root = Environment.GetEnvironmentVariable("DATASYNCPS_JOB_ROOT");

    public SyncJobTests()
    {
        Environment.SetEnvironmentVariable("DATASYNCPS_JOB_ROOT", Root);
        Directory.CreateDirectory(_dir.Combine("jobs"));
        File.WriteAllText(Script, """
            $ErrorActionPreference = 'Stop'
            $demo = [System.IO.Path]::Combine($PSScriptRoot, 'demo.sqlite')
            $source = Connect-SyncSource -Provider Sqlite -Path $demo
            $source | Export-SyncBatch -Table vendas -StatePath (Join-Path $PSScriptRoot 'state.db')
            """);
        File.Copy(RepositoryFiles.PathOf("examples/data/demo.sqlite"), _dir.Combine("jobs", "demo.sqlite"));
        File.WriteAllText(Pwsh, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Pwsh, (UnixFileMode)0b111_101_101);
    }

    private string Root => _dir.Combine("root");

    private string Script => _dir.Combine("jobs", "nightly.ps1");

    private string Pwsh => _dir.Combine("pwsh");

    private Dictionary<string, object?> Vars => new() { ["script"] = Script, ["pwsh"] = Pwsh, ["root"] = Root };

    private const string Register = "Register-SyncJob -Name nightly -ScriptPath $script -Daily 01:00 -TimeZone America/Sao_Paulo -PwshPath $pwsh -Scheduler Systemd -RunAs root";

    private string[] Commands() => File.Exists(Path.Combine(Root, "scheduler-commands.log")) ? File.ReadAllLines(Path.Combine(Root, "scheduler-commands.log")) : [];

    [Fact]
    public void WhatIf_writes_no_file_and_runs_no_scheduler_command()
    {
        using var rs = new ModuleRunspace();
        var r = rs.Run(Register + " -WhatIf", Vars).AssertNoErrors();
        Assert.Empty(r.Output);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public void Register_writes_the_units_enables_the_timer_and_Get_SyncJob_lists_the_job()
    {
        using var rs = new ModuleRunspace();
        var r = rs.Run(Register + " -Argument '-Table', 'vendas'", Vars).AssertNoErrors();
        var job = r.Single();
        Assert.Equal("DataSyncPS.SyncJob", r.Output[0].TypeNames[0]);
        Assert.Equal("Daily 01:00", (string)job.Schedule);
        Assert.Equal("America/Sao_Paulo", (string)job.TimeZone);
        Assert.Equal(Path.Combine(Root, "systemd", "system", "datasyncps-nightly.timer"), ((string[])job.Files)[1]);
        Assert.Equal(["systemctl daemon-reload", "systemctl enable --now datasyncps-nightly.timer"], Commands());
        var service = File.ReadAllText(Path.Combine(Root, "systemd", "system", "datasyncps-nightly.service"));
        Assert.Contains($"ExecStart={Pwsh} -NoProfile -NonInteractive -File {Script} -Table vendas\n", service);
        Assert.Contains("OnCalendar=*-*-* 01:00:00 America/Sao_Paulo", File.ReadAllText(Path.Combine(Root, "systemd", "system", "datasyncps-nightly.timer")));

        var listed = rs.Run("Get-SyncJob", Vars).AssertNoErrors().Single();
        Assert.Equal("nightly", (string)listed.Name);
        Assert.Equal(Script, (string)listed.ScriptPath);
        Assert.Equal(["-Table", "vendas"], (string[])listed.Arguments);

        var missing = rs.Run("Get-SyncJob nope");
        Assert.Equal("JobNotFound,DataSyncPS.Cmdlets.GetSyncJobCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.Empty(rs.Run("Get-SyncJob no*").AssertNoErrors().Output);
    }

    [Fact]
    public void A_second_Register_is_JobExists_and_Force_replaces_the_job()
    {
        using var rs = new ModuleRunspace();
        const string Weekly = "Register-SyncJob nightly $script -Weekly Monday, Thursday -At 02:30 -TimeZone America/Sao_Paulo -PwshPath $pwsh -Scheduler Systemd -RunAs root";
        rs.Run(Register, Vars).AssertNoErrors();
        var again = rs.Run(Weekly, Vars);
        Assert.Equal("JobExists,DataSyncPS.Cmdlets.RegisterSyncJobCommand", Assert.Single(again.Errors).FullyQualifiedErrorId);

        var replaced = rs.Run(Weekly + " -Force", Vars).AssertNoErrors().Single();
        Assert.Equal("Mon,Thu 02:30", (string)replaced.Schedule);
        Assert.Contains("OnCalendar=Mon,Thu *-*-* 02:30:00 America/Sao_Paulo", File.ReadAllText(Path.Combine(Root, "systemd", "system", "datasyncps-nightly.timer")));
        Assert.Equal("Mon,Thu 02:30", (string)rs.Run("Get-SyncJob nightly").AssertNoErrors().Single().Schedule);
    }

    [Fact]
    public void Unregister_asks_honours_WhatIf_and_removes_every_file()
    {
        using var rs = new ModuleRunspace();
        rs.Run(Register, Vars).AssertNoErrors();
        rs.Run("Unregister-SyncJob nightly -WhatIf").AssertNoErrors();
        Assert.Single(rs.Run("Get-SyncJob").AssertNoErrors().Output);
        Assert.Equal(2, Commands().Length);

        var removed = rs.Run("Get-SyncJob nightly | Unregister-SyncJob -Confirm:$false -PassThru").AssertNoErrors();
        Assert.Equal("nightly", (string)removed.Single().Name);
        Assert.Equal(["systemctl disable --now datasyncps-nightly.timer", "systemctl daemon-reload"], Commands()[2..]);
        Assert.DoesNotContain(Directory.GetFiles(Root, "*.*", SearchOption.AllDirectories), f => !f.EndsWith("scheduler-commands.log"));

        var missing = rs.Run("Unregister-SyncJob nightly -Confirm:$false");
        Assert.Equal("JobNotFound,DataSyncPS.Cmdlets.UnregisterSyncJobCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Bad_input_is_refused_before_anything_is_written()
    {
        using var rs = new ModuleRunspace();
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.RegisterSyncJobCommand",
            Assert.Single(rs.Run(Register.Replace("America/Sao_Paulo", "America/Atlantis"), Vars).Errors).FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.RegisterSyncJobCommand",
            Assert.Single(rs.Run(Register.Replace("-Name nightly", "-Name 'night.ly'"), Vars).Errors).FullyQualifiedErrorId);
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.RegisterSyncJobCommand",
            Assert.Single(rs.Run(Register.Replace("$script", "'no-such-script.ps1'"), Vars).Errors).FullyQualifiedErrorId);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public void A_Task_Scheduler_job_can_be_written_here_for_packaging_and_registers_with_schtasks()
    {
        using var rs = new ModuleRunspace();
        var job = rs.Run(Register.Replace("-Scheduler Systemd -RunAs root", "-Scheduler TaskScheduler -RunAs SYSTEM"), Vars).AssertNoErrors().Single();
        var xml = Path.Combine(Root, "jobs", "system", "nightly.xml");
        Assert.Equal([xml], (string[])job.Files);
        Assert.Contains("<LogonType>ServiceAccount</LogonType>", File.ReadAllText(xml));
        Assert.Equal([$"schtasks.exe /Create /TN \\DataSyncPS\\nightly /XML {xml} /F"], Commands());
    }

    [Fact]
    public void A_user_cron_job_goes_into_the_crontab_with_its_log_file()
    {
        using var rs = new ModuleRunspace();
        var job = rs.Run(Register.Replace("-Scheduler Systemd -RunAs root", "-Scheduler Cron -Scope User"), Vars).AssertNoErrors().Single();
        Assert.Equal(Path.Combine(Root, "logs", "nightly.log"), (string)job.LogPath);
        var crontab = File.ReadAllText(Path.Combine(Root, "crontab"));
        Assert.Contains("CRON_TZ=America/Sao_Paulo\n0 1 * * * cd ", crontab);
        Assert.Contains($">> {Path.Combine(Root, "logs", "nightly.log")} 2>&1", crontab);
        Assert.True(Directory.Exists(Path.Combine(Root, "logs")));
    }

    [Fact]
    public void Tab_completes_job_names_and_time_zones()
    {
        using var rs = new ModuleRunspace();
        rs.Run(Register, Vars).AssertNoErrors();
        string[] Complete(string input) => rs.Run("(TabExpansion2 -inputScript $i -cursorColumn $i.Length).CompletionMatches.CompletionText", new() { ["i"] = input })
            .AssertNoErrors().Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(["nightly"], Complete("Test-SyncJob -Name ni"));
        Assert.Equal(["nightly"], Complete("Unregister-SyncJob nig"));
        Assert.Contains("'America/Sao_Paulo'", Complete("Register-SyncJob -TimeZone America/Sao"));
    }

    [Fact]
    public void Test_SyncJob_answers_what_the_unattended_run_will_use()
    {
        ModuleServers.RequirePostgreSql();
        var pg = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql);
        File.AppendAllText(Script, $"""

            Connect-SyncSource -Provider PostgreSql -Server {pg.Host} -Port {pg.Port} -Database {pg.Database} -Credential erp-reader
            Connect-SyncSource -Provider PostgreSql -Server {pg.Host} -Port {pg.Port} -Database {pg.Database} -Credential wrong-login
            Connect-SyncSource -Provider PostgreSql -Server $env:DB_HOST -Database erp -Credential erp-reader
            """);
        using var rs = new ModuleRunspace();
        rs.Run("""
            Save-SyncSecret -Name erp-reader -Credential ([pscredential]::new($u, [System.Net.NetworkCredential]::new('', $p).SecurePassword))
            Save-SyncSecret -Name wrong-login -Credential ([pscredential]::new($u, [System.Net.NetworkCredential]::new('', 'not-the-password').SecurePassword))
            """, new() { ["u"] = pg.Username, ["p"] = pg.Password }).AssertNoErrors();
        rs.Run(Register.Replace("-Scheduler Systemd -RunAs root", "-Scheduler Cron -Scope User"), Vars).AssertNoErrors();

        var r = rs.Run("Test-SyncJob nightly", Vars).AssertNoErrors();
        Assert.All(r.Output, o => Assert.Equal("DataSyncPS.SyncJobCheck", o.TypeNames[0]));
        var checks = r.Output.Select(o => (Check: (string)((dynamic)o).Check, Status: ((dynamic)o).Status.ToString() as string, Detail: (string)((dynamic)o).Detail, Target: (string?)((dynamic)o).Target)).ToList();
        string Status(string check, string? target = null) => checks.Single(c => c.Check == check && (target is null || c.Target == target)).Status!;

        Assert.Equal("Pass", Status("Registration"));
        Assert.Equal("Pass", Status("Pwsh"));
        Assert.Equal("Pass", Status("Script"));
        Assert.Equal("Pass", Status("LogPath"));
        Assert.Equal(Path.Combine(_dir.Combine("jobs"), "state.db"), checks.Single(c => c.Check == "StatePath").Target);
        Assert.Equal("Pass", Status("Secret", "erp-reader"));
        Assert.Equal("Pass", Status("Secret", "wrong-login"));
        Assert.Equal("Fail", checks.Single(c => c.Check == "Module").Status); // the module is not installed where pwsh looks
        var sources = checks.Where(c => c.Check == "Source").ToList();
        Assert.Equal(4, sources.Count);
        Assert.Equal(["Pass", "Pass", "Fail", "Warn"], sources.Select(s => s.Status));
        Assert.Contains("demo.sqlite connected", sources[0].Detail);
        Assert.StartsWith("AuthenticationFailed:", sources[2].Detail);
        Assert.Contains("$env:DB_HOST", sources[3].Detail);

        Assert.DoesNotContain(rs.Run("Test-SyncJob nightly -SkipSource").AssertNoErrors().Output, o => (string)((dynamic)o).Check == "Source");
        Assert.Equal("JobNotFound,DataSyncPS.Cmdlets.TestSyncJobCommand", Assert.Single(rs.Run("Test-SyncJob nope").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void The_scheduled_job_example_registers_checks_and_removes_the_demo_job()
    {
        using var rs = new ModuleRunspace();
        var r = rs.Run("& $example -JobRoot $root -PwshPath $pwsh -OutputDirectory $out -StatePath $state -Unregister",
            new(Vars) { ["example"] = RepositoryFiles.PathOf("examples/scheduled-job.ps1"), ["out"] = _dir.Combine("out"), ["state"] = _dir.Combine("state.db") }).AssertNoErrors();
        var texts = r.Output.Select(o => o.BaseObject).OfType<string>().ToList();
        Assert.Contains("2. Registering it:", texts);
        Assert.Contains(texts, t => t.StartsWith("3. What the run at ", StringComparison.Ordinal) && t.EndsWith("-03:00 will use (Test-SyncJob):", StringComparison.Ordinal));
        // Here the module is not installed where pwsh looks for it: the one check that fails, named.
        Assert.Contains("1 check(s) would fail tonight: Module", texts);
        Assert.Equal("Registered jobs now: 0", texts[^1]);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "jobs"), "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(_dir.Combine("out"))); // registering runs nothing
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("DATASYNCPS_JOB_ROOT", _root);
        _dir.Dispose();
        _homes.Dispose();
    }
}
