using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

/// <summary>Test-SyncJob's engine checks, on jobs registered into a temporary folder.</summary>
public class JobReadinessTests
{
    private static (JobReadiness Checks, SyncJob Job) Registered(TempDirectory dir, RecordingFake fake, JobDefinition definition)
    {
        var registrar = JobFixtures.Registrar(dir, fake);
        var (plan, job) = registrar.PlanRegister(definition, false, JobFixtures.Now);
        registrar.Apply(plan);
        return (new JobReadiness(registrar, registrar.Find(job.Name)!), job);
    }

    private static SyncJobCheck Single(JobReadiness r, string check) => Assert.Single(r.Checks, c => c.Check == check);

    [Fact]
    public void An_account_that_does_not_exist_fails()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("Accounts are looked up with getpwnam on Linux.");
        using var dir = new TempDirectory();
        var (checks, _) = Registered(dir, new RecordingFake(), JobFixtures.Nightly(JobScheduler.Systemd, dir, runAs: "no-such-user-h7"));
        checks.CheckAccount();
        var account = Single(checks, "Account");
        Assert.Equal(JobCheckStatus.Fail, account.Status);
        Assert.Contains("no-such-user-h7", account.Detail);
    }

    [Fact]
    public void The_current_account_is_found_with_its_home()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("Accounts are looked up with getpwnam on Linux.");
        using var dir = new TempDirectory();
        var (checks, _) = Registered(dir, new RecordingFake(), JobFixtures.Nightly(JobScheduler.Cron, dir, runAs: Environment.UserName));
        checks.CheckAccount();
        Assert.Equal(JobCheckStatus.Pass, Single(checks, "Account").Status);
        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), checks.AccountHome);
    }

    [Fact]
    public void A_disabled_timer_and_a_missing_unit_fail_the_registration_check()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake { Answer = c => c.Arguments.Contains("is-enabled") ? new SchedulerCommandResult(1, "disabled\n", "") : null };
        var (checks, job) = Registered(dir, fake, JobFixtures.Nightly(JobScheduler.Systemd, dir));
        checks.CheckRegistration();
        Assert.Equal(JobCheckStatus.Fail, Single(checks, "Registration").Status);
        Assert.Contains(["systemctl", "is-enabled", "datasyncps-nightly.timer"], fake.Argvs);

        File.Delete(job.Files[0]);
        var again = new JobReadiness(JobFixtures.Registrar(dir, new RecordingFake()), job);
        again.CheckRegistration();
        Assert.Contains("missing", Single(again, "Registration").Detail);
    }

    [Fact]
    public void Cron_warns_when_the_machines_zone_is_not_the_jobs()
    {
        using var dir = new TempDirectory();
        var (checks, _) = Registered(dir, new RecordingFake(), JobFixtures.Nightly(JobScheduler.Cron, dir));
        checks.CheckSchedule(JobFixtures.Now);
        var schedule = Single(checks, "Schedule");
        Assert.Equal(JobCheckStatus.Warn, schedule.Status);
        Assert.Contains("CRON_TZ", schedule.Detail);
        Assert.Contains("next run 2026-03-11 01:00 -03:00", schedule.Detail);
    }

    [Fact]
    public void A_missing_log_folder_and_a_missing_pwsh_fail()
    {
        using var dir = new TempDirectory();
        var (checks, _) = Registered(dir, new RecordingFake(), JobFixtures.Nightly(JobScheduler.Cron, dir, runAs: Environment.UserName) with { PwshPath = dir.Combine("no-pwsh") });
        Directory.Delete(dir.Combine("root", "logs"));
        checks.CheckLog();
        checks.CheckPwsh();
        Assert.Equal(JobCheckStatus.Fail, Single(checks, "LogPath").Status);
        Assert.Equal(JobCheckStatus.Fail, Single(checks, "Pwsh").Status);
    }

    [Fact]
    public void The_module_is_found_where_the_accounts_pwsh_would_autoload_it()
    {
        using var dir = new TempDirectory();
        var pwshHome = dir.Combine("pwsh");
        Directory.CreateDirectory(Path.Combine(pwshHome, "Modules", "DataSyncPS", "0.1.0"));
        File.WriteAllText(Path.Combine(pwshHome, "Modules", "DataSyncPS", "0.1.0", "DataSyncPS.psd1"), "@{}");
        File.WriteAllText(Path.Combine(pwshHome, "pwsh"), "");
        var (checks, _) = Registered(dir, new RecordingFake(), JobFixtures.Nightly(JobScheduler.Cron, dir, runAs: "no-such-user-h7") with { PwshPath = Path.Combine(pwshHome, "pwsh") });
        checks.CheckModule(new Version(0, 2, 0), importedPath: null);
        var module = Single(checks, "Module");
        Assert.Equal(JobCheckStatus.Warn, module.Status); // found, but not this session's version
        Assert.Contains(Path.Combine(pwshHome, "Modules", "DataSyncPS", "0.1.0", "DataSyncPS.psd1"), module.Detail);
    }
}
