using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

/// <summary>Registering and removing jobs with a fake scheduler that records the argv: the files land in
/// the redirected folder, the scheduler gets exactly these commands, and a plan changes nothing until applied.</summary>
public class JobRegistrarTests
{
    [Fact]
    public void A_systemd_job_writes_its_units_and_manifest_then_reloads_and_enables_the_timer()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake();
        var registrar = JobFixtures.Registrar(dir, fake);
        var (plan, job) = registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir), force: false, JobFixtures.Now, "0.2.0");

        // Planned, not done.
        Assert.Empty(fake.Calls);
        Assert.False(Directory.Exists(dir.Combine("root")));
        var unitFolder = dir.Combine("root", "systemd", "system");
        Assert.Equal([Path.Combine(unitFolder, "datasyncps-nightly.service"), Path.Combine(unitFolder, "datasyncps-nightly.timer"), dir.Combine("root", "jobs", "system", "nightly.json")],
            plan.Files.Select(f => f.Path));

        registrar.Apply(plan);
        Assert.Equal([["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "datasyncps-nightly.timer"]], fake.Argvs);
        Assert.Equal(plan.File("datasyncps-nightly.timer").Content, File.ReadAllText(Path.Combine(unitFolder, "datasyncps-nightly.timer")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(unitFolder, "datasyncps-nightly.service")));

        var listed = Assert.Single(registrar.List());
        Assert.Equal("nightly", listed.Name);
        Assert.Equal("Daily 01:00", listed.Schedule);
        Assert.Equal("journal", listed.LogPath);
        Assert.Equal(job.Files, listed.Files);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 1, 0, 0, TimeSpan.FromHours(-3)), job.NextRun);
    }

    [Fact]
    public void A_second_registration_is_JobExists_and_Force_replaces_it_in_place()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake();
        var registrar = JobFixtures.Registrar(dir, fake);
        registrar.Apply(registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir), false, JobFixtures.Now).Plan);

        var ex = Assert.Throws<SyncException>(() => registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir), false, JobFixtures.Now));
        Assert.Equal(SyncErrorKind.JobExists, ex.Kind);

        fake.Calls.Clear();
        var weekly = new JobSchedule([TimeSpan.FromHours(2)], [DayOfWeek.Sunday], "America/Sao_Paulo");
        registrar.Apply(registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir, schedule: weekly), true, JobFixtures.Now).Plan);
        Assert.Equal([["systemctl", "disable", "--now", "datasyncps-nightly.timer"], ["systemctl", "daemon-reload"],
            ["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "datasyncps-nightly.timer"]], fake.Argvs);
        Assert.Equal("Sun 02:00", Assert.Single(registrar.List()).Schedule);
        Assert.Contains("OnCalendar=Sun *-*-* 02:00:00 America/Sao_Paulo", File.ReadAllText(dir.Combine("root", "systemd", "system", "datasyncps-nightly.timer")));
    }

    [Fact]
    public void Unregistering_disables_the_timer_then_deletes_every_file_it_wrote()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake();
        var registrar = JobFixtures.Registrar(dir, fake);
        registrar.Apply(registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir, JobScope.User, runAs: Environment.UserName), false, JobFixtures.Now).Plan);
        fake.Calls.Clear();

        var plan = registrar.PlanUnregister(registrar.Find("nightly")!);
        Assert.Empty(fake.Calls);
        registrar.Apply(plan);
        Assert.Equal([["systemctl", "--user", "disable", "--now", "datasyncps-nightly.timer"], ["systemctl", "--user", "daemon-reload"]], fake.Argvs);
        Assert.Empty(Directory.GetFiles(dir.Combine("root"), "*", SearchOption.AllDirectories));
        Assert.Empty(registrar.List());
    }

    [Fact]
    public void A_system_cron_job_is_one_file_in_cron_d_and_creates_its_log_folder()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake();
        var registrar = JobFixtures.Registrar(dir, fake);
        var (plan, job) = registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Cron, dir), false, JobFixtures.Now);
        registrar.Apply(plan);

        Assert.Empty(fake.Calls); // cron reads /etc/cron.d by itself
        // cron's shell runs nothing when it cannot open the log: the file is made and given to the account first.
        Assert.Contains(plan.Steps, s => s is CreateLogStep { Owner: "datasync" } l && l.Path == job.LogPath);
        Assert.True(File.Exists(job.LogPath));
        Assert.Equal([dir.Combine("root", "cron.d", "datasyncps-nightly")], job.Files);
        Assert.Contains("CRON_TZ=America/Sao_Paulo", File.ReadAllText(job.Files[0]));
        Assert.True(Directory.Exists(dir.Combine("root", "logs")));
        Assert.Equal(dir.Combine("root", "logs", "nightly.log"), job.LogPath);

        registrar.Apply(registrar.PlanUnregister(job));
        Assert.False(File.Exists(job.Files[0]));
    }

    [Fact]
    public void A_user_cron_job_rewrites_the_crontab_through_crontab_stdin_keeping_the_users_lines()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake { Crontab = "*/5 * * * * /usr/local/bin/check\n" };
        var registrar = JobFixtures.Registrar(dir, fake);
        registrar.Apply(registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Cron, dir, JobScope.User, runAs: Environment.UserName), false, JobFixtures.Now).Plan);

        Assert.Equal([["crontab", "-l"], ["crontab", "-"]], fake.Argvs);
        Assert.StartsWith("*/5 * * * * /usr/local/bin/check\n" + CronEntries.BeginMarker("nightly"), fake.Crontab);

        registrar.Apply(registrar.PlanUnregister(registrar.Find("nightly")!));
        Assert.Equal("*/5 * * * * /usr/local/bin/check\n", fake.Crontab);
    }

    [Fact]
    public void A_Task_Scheduler_job_registers_its_XML_with_schtasks_and_a_gMSA_with_no_password()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake();
        var registrar = JobFixtures.Registrar(dir, fake);
        var (plan, job) = registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.TaskScheduler, dir, runAs: @"CONTOSO\gmsa-etl$"), false, JobFixtures.Now);
        registrar.Apply(plan);

        var xml = dir.Combine("root", "jobs", "system", "nightly.xml");
        Assert.Equal([["schtasks.exe", "/Create", "/TN", @"\DataSyncPS\nightly", "/XML", xml, "/F", "/RU", @"CONTOSO\gmsa-etl$", "/RP", ""]], fake.Argvs);
        // UTF-16 with its byte order mark, as schtasks reads task XML.
        Assert.Equal([0xFF, 0xFE], File.ReadAllBytes(xml)[..2]);
        Assert.Contains("<LogonType>Password</LogonType>", File.ReadAllText(xml));

        fake.Calls.Clear();
        registrar.Apply(registrar.PlanUnregister(job));
        Assert.Equal([["schtasks.exe", "/Delete", "/TN", @"\DataSyncPS\nightly", "/F"]], fake.Argvs);
        Assert.False(File.Exists(xml));
    }

    [Fact]
    public void A_scheduler_that_refuses_is_SchedulerCommandFailed_with_its_answer_and_no_manifest_is_written()
    {
        using var dir = new TempDirectory();
        var fake = new RecordingFake { Answer = c => c.Arguments.Contains("enable") ? new SchedulerCommandResult(1, "", "Failed to enable unit: Access denied") : null };
        var registrar = JobFixtures.Registrar(dir, fake);
        var (plan, _) = registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir), false, JobFixtures.Now);

        var ex = Assert.Throws<SyncException>(() => registrar.Apply(plan));
        Assert.Equal(SyncErrorKind.SchedulerCommandFailed, ex.Kind);
        Assert.Contains("Access denied", ex.Message);
        Assert.Contains("systemctl enable --now datasyncps-nightly.timer", ex.Message);
        Assert.Empty(registrar.List());
    }

    [Fact]
    public void A_user_job_runs_as_the_current_user_only()
    {
        using var dir = new TempDirectory();
        var registrar = JobFixtures.Registrar(dir, new RecordingFake());
        var ex = Assert.Throws<SyncException>(() => registrar.PlanRegister(JobFixtures.Nightly(JobScheduler.Systemd, dir, JobScope.User, runAs: "someone-else"), false, JobFixtures.Now));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Recording_commands_keep_a_users_crontab_in_a_file_beside_the_log()
    {
        using var dir = new TempDirectory();
        var recording = new RecordingSchedulerCommands(dir.Combine("scheduler-commands.log"));
        Assert.Equal(1, recording.Run(new SchedulerCommand("crontab", ["-l"])).ExitCode);
        recording.Run(new SchedulerCommand("crontab", ["-"], "0 1 * * * true\n"));
        Assert.Equal("0 1 * * * true\n", recording.Run(new SchedulerCommand("crontab", ["-l"])).Output);
        Assert.Equal(["crontab -l", "crontab - < (the new crontab)", "crontab -l"], File.ReadAllLines(dir.Combine("scheduler-commands.log")));
    }

    [Fact]
    public void A_cron_jobs_log_file_is_given_to_its_account()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("Giving a file to another user needs root on Linux.");
            return;
        }
        if (DataSyncPS.Engine.Secrets.UnixFileOwner.EffectiveUserId != 0) Assert.Skip("Giving a file to another user needs root on Linux.");
        var daemon = UnixAccount.Find("daemon") ?? UnixAccount.Find("nobody");
        if (daemon is null) Assert.Skip("No daemon or nobody account here.");
        using var dir = new TempDirectory();
        var log = dir.Combine("logs", "nightly.log");
        new JobRegistrar(new JobLocations(null, dir.Path), new RecordingFake()).Apply(new JobPlan().CreateLog(log, daemon.Name));
        Assert.Equal(daemon.Uid, DataSyncPS.Engine.Secrets.UnixFileOwner.Of(log)!.Value.Uid);
    }
}
