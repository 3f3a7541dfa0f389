using System.Diagnostics;
using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

/// <summary>The service and timer Register-SyncJob writes for systemd, read as systemd reads them and
/// checked with systemd-analyze verify where it is installed.</summary>
public class SystemdUnitTests
{
    private static Dictionary<string, List<string>> Keys(string unit) => unit.Split('\n')
        .Where(l => l.Contains('=') && !l.StartsWith('#'))
        .GroupBy(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..])
        .ToDictionary(g => g.Key, g => g.ToList());

    [Fact]
    public void The_timer_fires_daily_at_01_00_Sao_Paulo_time_catches_up_after_downtime_and_has_no_random_delay()
    {
        using var dir = new TempDirectory();
        var timer = Keys(SystemdUnits.Timer(JobFixtures.Nightly(JobScheduler.Systemd, dir)));
        Assert.Equal(["*-*-* 01:00:00 America/Sao_Paulo"], timer["OnCalendar"]);
        Assert.Equal(["true"], timer["Persistent"]);
        Assert.Equal(["0"], timer["RandomizedDelaySec"]);
        Assert.Equal(["datasyncps-nightly.service"], timer["Unit"]);
        Assert.Equal(["timers.target"], timer["WantedBy"]);
    }

    [Fact]
    public void A_weekly_schedule_is_one_calendar_event_per_time_with_its_weekdays()
    {
        using var dir = new TempDirectory();
        var schedule = new JobSchedule([TimeSpan.FromHours(1), new TimeSpan(13, 30, 0)], [DayOfWeek.Monday, DayOfWeek.Thursday], "America/Sao_Paulo");
        var timer = Keys(SystemdUnits.Timer(JobFixtures.Nightly(JobScheduler.Systemd, dir, schedule: schedule)));
        Assert.Equal(["Mon,Thu *-*-* 01:00:00 America/Sao_Paulo", "Mon,Thu *-*-* 13:30:00 America/Sao_Paulo"], timer["OnCalendar"]);
    }

    [Fact]
    public void The_service_runs_the_script_once_with_pwsh_as_the_account_into_the_journal()
    {
        using var dir = new TempDirectory();
        var service = Keys(SystemdUnits.Service(JobFixtures.Nightly(JobScheduler.Systemd, dir)));
        Assert.Equal(["oneshot"], service["Type"]);
        Assert.Equal(["datasync"], service["User"]);
        Assert.Equal([$"/usr/bin/pwsh -NoProfile -NonInteractive -File {dir.Combine("jobs", "nightly.ps1")} -Table vendas"], service["ExecStart"]);
        Assert.Equal([dir.Combine("jobs")], service["WorkingDirectory"]);
        Assert.Equal(["TZ=America/Sao_Paulo"], service["Environment"]);
        Assert.Equal(["43200"], service["TimeoutStartSec"]);
        Assert.Equal(["journal"], service["StandardOutput"]);
        Assert.Equal(["datasyncps-nightly"], service["SyslogIdentifier"]);
        Assert.Equal(["network-online.target"], service["After"]);
    }

    [Fact]
    public void Root_and_user_units_name_no_User_and_user_units_wait_for_no_system_target()
    {
        using var dir = new TempDirectory();
        Assert.DoesNotContain("User=", SystemdUnits.Service(JobFixtures.Nightly(JobScheduler.Systemd, dir, runAs: "root")));
        var user = SystemdUnits.Service(JobFixtures.Nightly(JobScheduler.Systemd, dir, JobScope.User, runAs: Environment.UserName));
        Assert.DoesNotContain("User=", user);
        Assert.DoesNotContain("network-online", user);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("50%", "50%%")]
    [InlineData("$HOME", "$$HOME")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"C:\x", "\"C:\\\\x\"")]
    [InlineData("", "\"\"")]
    public void Command_line_words_are_quoted_as_systemd_reads_them(string word, string quoted) =>
        Assert.Equal(quoted, SystemdUnits.Quote(word));

    [Fact]
    public void Systemd_analyze_verify_accepts_the_units()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null) Assert.Skip("systemd-analyze is not installed here (apt install systemd provides it).");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("jobs"));
        File.WriteAllText(dir.Combine("jobs", "nightly.ps1"), "'hello'");
        // An account and an executable that exist here: verify checks both.
        var job = JobFixtures.Nightly(JobScheduler.Systemd, dir, runAs: Environment.UserName == "root" ? "daemon" : Environment.UserName,
            arguments: ["-Note", "50% of a $price", "two words"]) with { PwshPath = "/bin/sh", Description = "Nightly sync: vendas 100%" };
        var files = new[] { dir.Combine("datasyncps-nightly.service"), dir.Combine("datasyncps-nightly.timer") };
        File.WriteAllText(files[0], SystemdUnits.Service(job));
        File.WriteAllText(files[1], SystemdUnits.Timer(job));

        var start = new ProcessStartInfo(analyze) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "verify", "--man=no" }.Concat(files)) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var errors = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, errors);
        Assert.DoesNotContain("nightly", errors); // no warning about our units either
    }

    [Fact]
    public void Systemd_analyze_calendar_reads_the_time_zone_suffix()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null) Assert.Skip("systemd-analyze is not installed here (apt install systemd provides it).");
        var schedule = new JobSchedule([TimeSpan.FromHours(1)], [DayOfWeek.Monday], "America/Sao_Paulo");
        var start = new ProcessStartInfo(analyze) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("calendar");
        start.ArgumentList.Add(SystemdUnits.OnCalendar(schedule).Single());
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output);
        Assert.Contains("Normalized form: Mon *-*-* 01:00:00 America/Sao_Paulo", output);
    }
}
