using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Tests.Logging;

/// <summary>Daily files by local date, and retention counted in days on fabricated dates.</summary>
public class RollingLogFileTests
{
    // 02:30 UTC on 1 March is still 28 February in Brasília (-03:00).
    private static readonly DateTimeOffset Night = new(2026, 3, 1, 2, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Events_go_to_the_file_of_their_local_day()
    {
        using var dir = new TempDirectory();
        var clock = new FixedClock(Night.AddHours(6));
        var log = new RollingLogFile(dir.Path, SyncLogFormat.Text, 14, clock);

        log.Append([LogEvents.At(Night, "before midnight in Brasília"), LogEvents.At(Night.AddHours(4), "after midnight in Brasília")]);

        var feb = File.ReadAllLines(dir.Combine("DataSyncPS-2026-02-28.log"));
        var mar = File.ReadAllLines(dir.Combine("DataSyncPS-2026-03-01.log"));
        Assert.Contains("before midnight in Brasília", Assert.Single(feb));
        Assert.StartsWith("2026-02-28 23:30:00.000 -03:00 [INF] Export-SyncBatch: ", feb[0]);
        Assert.Contains("after midnight in Brasília", Assert.Single(mar));
    }

    [Fact]
    public void Later_writes_append_to_the_day_and_a_new_day_starts_a_new_file()
    {
        using var dir = new TempDirectory();
        var clock = new FixedClock(Night);
        var log = new RollingLogFile(dir.Path, SyncLogFormat.Clef, 14, clock);
        log.Append([LogEvents.At(clock.Now)]);
        log.Append([LogEvents.At(clock.Now.AddMinutes(1))]);
        clock.Now = clock.Now.AddDays(1);
        log.Append([LogEvents.At(clock.Now)]);

        Assert.Equal(2, File.ReadAllLines(dir.Combine("DataSyncPS-2026-02-28.clef")).Length);
        Assert.Single(File.ReadAllLines(dir.Combine("DataSyncPS-2026-03-01.clef")));
        Assert.Equal(log.FileFor(log.Today), dir.Combine("DataSyncPS-2026-03-01.clef"));
    }

    [Fact]
    public void Files_older_than_the_kept_days_are_deleted_and_nothing_else_is()
    {
        using var dir = new TempDirectory();
        string[] old = ["DataSyncPS-2026-01-01.log", "DataSyncPS-2026-02-20.log", "DataSyncPS-2026-02-21.clef"];
        string[] kept = ["DataSyncPS-2026-02-22.log", "DataSyncPS-2026-02-27.clef", "DataSyncPS-2026-02-28.log"];
        string[] others = ["DataSyncPS-2020-01-01.log.bak", "notes.txt", "DataSyncPS-latest.log", "other-2020-01-01.log"];
        foreach (var f in old.Concat(kept).Concat(others)) File.WriteAllText(dir.Combine(f), "x\n");

        // Today is 28 February in Brasília; seven days kept: 22 to 28 February.
        var log = new RollingLogFile(dir.Path, SyncLogFormat.Text, 7, new FixedClock(Night));
        log.Append([LogEvents.At(Night)]);

        foreach (var f in old) Assert.False(File.Exists(dir.Combine(f)), f + " should be gone");
        foreach (var f in kept.Concat(others)) Assert.True(File.Exists(dir.Combine(f)), f + " should be kept");
    }

    [Fact]
    public void Retention_runs_again_when_the_day_changes_in_a_long_running_process()
    {
        using var dir = new TempDirectory();
        var clock = new FixedClock(Night);
        var log = new RollingLogFile(dir.Path, SyncLogFormat.Text, 2, clock);
        log.Append([LogEvents.At(clock.Now)]);                 // 28 Feb
        clock.Now = clock.Now.AddDays(1);
        log.Append([LogEvents.At(clock.Now)]);                 // 1 Mar: 28 Feb still kept
        Assert.True(File.Exists(dir.Combine("DataSyncPS-2026-02-28.log")));
        clock.Now = clock.Now.AddDays(1);
        log.Append([LogEvents.At(clock.Now)]);                 // 2 Mar: 28 Feb goes

        Assert.Equal(["DataSyncPS-2026-03-01.log", "DataSyncPS-2026-03-02.log"],
            Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void A_missing_folder_is_created()
    {
        using var dir = new TempDirectory();
        var log = new RollingLogFile(dir.Combine("logs", "datasync"), SyncLogFormat.Text, 14, new FixedClock(Night));
        log.Append([LogEvents.At(Night)]);
        Assert.Single(Directory.GetFiles(dir.Combine("logs", "datasync")));
    }
}
