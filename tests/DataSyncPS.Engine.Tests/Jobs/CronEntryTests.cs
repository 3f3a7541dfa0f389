using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

public class CronEntryTests
{
    [Fact]
    public void The_cron_d_file_runs_at_01_00_in_the_jobs_zone_as_the_account_into_the_log()
    {
        using var dir = new TempDirectory();
        var job = JobFixtures.Nightly(JobScheduler.Cron, dir);
        var lines = CronEntries.CronDFile(job).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal("SHELL=/bin/sh", lines[0]);
        Assert.Contains("CRON_TZ=America/Sao_Paulo", lines);
        var entry = lines.Last();
        Assert.Equal($"0 1 * * * datasync cd {dir.Combine("jobs")} && TZ=America/Sao_Paulo exec timeout 43200 /usr/bin/pwsh -NoProfile -NonInteractive -File {dir.Combine("jobs", "nightly.ps1")} -Table vendas >> {dir.Combine("root", "logs", "nightly.log")} 2>&1", entry);
    }

    [Fact]
    public void Weekdays_are_cron_numbers_and_percent_signs_are_escaped()
    {
        using var dir = new TempDirectory();
        var schedule = new JobSchedule([new TimeSpan(1, 5, 0)], [DayOfWeek.Sunday, DayOfWeek.Thursday], "UTC");
        var job = JobFixtures.Nightly(JobScheduler.Cron, dir, schedule: schedule, arguments: ["-Note", "50% it's done"]);
        var line = Assert.Single(CronEntries.Lines(job, withUser: false));
        Assert.StartsWith("5 1 * * 0,4 cd ", line);
        Assert.EndsWith(" -Note '50\\% it'\\''s done' >> " + dir.Combine("root", "logs", "nightly.log") + " 2>&1", line);
    }

    [Fact]
    public void A_user_crontab_block_replaces_its_older_self_keeps_other_lines_and_restores_CRON_TZ()
    {
        using var dir = new TempDirectory();
        var job = JobFixtures.Nightly(JobScheduler.Cron, dir, JobScope.User);
        const string mine = "MAILTO=ana\n*/5 * * * * /usr/local/bin/check\n";
        var once = CronEntries.MergeUserBlock(mine, job, "Etc/UTC");
        var twice = CronEntries.MergeUserBlock(once, job, "Etc/UTC");
        Assert.Equal(once, twice);
        Assert.StartsWith(mine, once);
        var block = once[mine.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(CronEntries.BeginMarker("nightly"), block[0]);
        Assert.Equal("CRON_TZ=America/Sao_Paulo", block[1]);
        Assert.StartsWith("0 1 * * * cd ", block[2]);
        Assert.Equal("CRON_TZ=Etc/UTC", block[3]);
        Assert.Equal(CronEntries.EndMarker("nightly"), block[4]);
        Assert.Equal(mine, CronEntries.RemoveUserBlock(twice, "nightly"));
    }
}
