using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

public class JobScheduleTests
{
    [Fact]
    public void Next_run_is_the_time_of_day_in_the_jobs_zone()
    {
        var s = new JobSchedule([TimeSpan.FromHours(1)], null, "America/Sao_Paulo");
        // 15:00 UTC is 12:00 in São Paulo: the next 01:00 there is tomorrow, 04:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 1, 0, 0, TimeSpan.FromHours(-3)), s.NextRun(JobFixtures.Now));
        Assert.Equal("Daily 01:00", s.Describe());
        Assert.Equal("America/Sao_Paulo", s.IanaZone);
    }

    [Fact]
    public void Weekly_runs_on_the_named_days_only_and_several_times_are_kept_in_order()
    {
        var s = new JobSchedule([new TimeSpan(13, 30, 0), TimeSpan.FromHours(1)], [DayOfWeek.Thursday, DayOfWeek.Monday], "America/Sao_Paulo");
        Assert.Equal("Mon,Thu 01:00, 13:30", s.Describe());
        // Tuesday 2026-03-10: the next is Thursday 01:00.
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 1, 0, 0, TimeSpan.FromHours(-3)), s.NextRun(JobFixtures.Now));
    }

    [Fact]
    public void Seven_days_are_every_day()
    {
        Assert.Null(new JobSchedule([TimeSpan.Zero], Enum.GetValues<DayOfWeek>(), "UTC").Days);
    }

    [Fact]
    public void A_time_that_a_clock_change_skips_runs_an_hour_later()
    {
        // New York skipped 02:00-03:00 on 2026-03-08.
        var s = new JobSchedule([new TimeSpan(2, 30, 0)], null, "America/New_York");
        var next = s.NextRun(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 3, 30, 0, TimeSpan.FromHours(-4)), next);
    }

    [Theory]
    [InlineData("24:00:00")]
    [InlineData("-01:00:00")]
    [InlineData("01:00:30")]
    public void Times_that_are_not_whole_minutes_of_a_day_are_refused(string time)
    {
        var ex = Assert.Throws<SyncException>(() => new JobSchedule([TimeSpan.Parse(time)], null, "UTC"));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void An_unknown_zone_is_InvalidArgument_naming_it()
    {
        var ex = Assert.Throws<SyncException>(() => new JobSchedule([TimeSpan.Zero], null, "America/Atlantis"));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("America/Atlantis", ex.Message);
    }

    [Theory]
    [InlineData("nightly")]
    [InlineData("erp_vendas-01")]
    public void Job_names_fit_units_cron_files_and_tasks(string name) => JobDefinition.CheckName(name);

    [Theory]
    [InlineData("night.ly")]   // run-parts skips cron.d files with dots
    [InlineData("-x")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Other_job_names_are_refused(string name) =>
        Assert.Equal(SyncErrorKind.InvalidArgument, Assert.Throws<SyncException>(() => JobDefinition.CheckName(name)).Kind);
}
