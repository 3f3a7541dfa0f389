using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>An entry without its line end: left for the next run while Laravel may still be writing
/// it, taken as it is once the file is finished (rotated away, or a newer file written since).</summary>
public sealed class UnfinishedEntryTests
{
    [Fact]
    public void An_unterminated_last_entry_of_the_file_being_written_waits_for_the_next_run()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("laravel.log");
        var done = LogText.Entries(1, 2);
        LogText.Write(path, done + "[2024-01-02 10:00:03] local.INFO: half writ");

        var first = LogReadResult.Of(path);
        Assert.Equal(["entry 1", "entry 2"], first.Entries.Select(e => e.Message));
        Assert.Empty(first.Errors);
        Assert.Equal(done.Length, first.Position.Files[0].Offset);

        LogText.Append(path, "ten  \n");
        var second = LogReadResult.Of(path, first.Position);
        var e = Assert.Single(second.Entries);
        Assert.Equal("half written", e.Message);
        Assert.Equal(done.Length, e.Offset);
        Assert.Equal(3, e.Line);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("[2024")]
    [InlineData("[2024-01-02 10:0")]
    public void A_header_cut_off_mid_write_is_not_glued_onto_the_entry_before(string cut)
    {
        using var dir = new TempDirectory();
        var read = LogReadResult.OfText(dir, LogText.Entries(1, 2) + cut);

        Assert.Equal(["entry 1", "entry 2"], read.Entries.Select(e => e.Message));
        Assert.Empty(read.Errors);
        Assert.Equal(LogText.Entries(1, 2).Length, read.Position.Files[0].Offset);
    }

    [Fact]
    public void A_finished_file_gives_its_unterminated_last_entry_as_it_is()
    {
        using var dir = new TempDirectory();
        LogText.Write(dir.Combine("laravel-2024-01-01.log"), LogText.Entry(1) + "[2024-01-02 10:00:02] local.INFO: cut short");
        LogText.Write(dir.Combine("laravel-2024-01-02.log"), LogText.Entry(3));

        var read = LogReadResult.Of(dir.Path);

        Assert.Equal(["entry 1", "cut short", "entry 3"], read.Entries.Select(e => e.Message));
        Assert.Empty(read.Errors);
    }

    [Fact]
    public void A_stale_laravel_log_beside_daily_files_does_not_finish_todays_daily_file()
    {
        using var dir = new TempDirectory();
        var daily = dir.Combine("laravel-2024-01-02.log");
        LogText.Write(dir.Combine("laravel.log"), LogText.Entry(0));
        File.SetLastWriteTimeUtc(dir.Combine("laravel.log"), DateTime.UtcNow.AddDays(-30));
        LogText.Write(daily, LogText.Entry(1) + "[2024-01-02 10:00:02] local.INFO: being writ");

        var first = LogReadResult.Of(dir.Path);
        LogText.Append(daily, "ten  \n");
        var second = LogReadResult.Of(dir.Path, first.Position);

        Assert.Equal(["entry 1", "entry 0"], first.Entries.Select(e => e.Message));
        Assert.Equal(["being written"], second.Entries.Select(e => e.Message));
    }

    [Fact]
    public void A_renamed_file_with_a_newer_laravel_log_gives_its_unterminated_entry_as_it_is()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entry(1) + "[2024-01-02 10:00:02] local.INFO: cut short");
        var first = LogReadResult.Of(log);

        File.Move(log, dir.Combine("laravel.log.1"));
        LogText.Write(log, LogText.Entry(3));
        File.SetLastWriteTimeUtc(log, DateTime.UtcNow.AddSeconds(1));
        var second = LogReadResult.Of(log, first.Position);

        Assert.Equal(["entry 1"], first.Entries.Select(e => e.Message));
        Assert.Equal(["cut short", "entry 3"], second.Entries.Select(e => e.Message));
        Assert.Equal("laravel.log.1", second.Entries[0].File);
    }

    [Fact]
    public void A_file_source_rotated_away_gives_its_unterminated_entry_as_it_is()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entry(1) + "[2024-01-02 10:00:02] local.INFO: cut short");
        var first = LogReadResult.Of(log);

        File.Move(log, dir.Combine("laravel-2024-01-02.log")); // and no new laravel.log yet
        var second = LogReadResult.Of(log, first.Position);

        Assert.Equal(["cut short"], second.Entries.Select(e => e.Message));
        Assert.Empty(LogReadResult.Of(log, second.Position).Entries);
    }

    [Fact]
    public void A_byte_order_mark_is_not_taken_for_text_before_the_first_entry()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("laravel.log");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(LogText.Entries(1, 2))]);

        var read = LogReadResult.Of(path);

        Assert.Empty(read.Errors);
        Assert.Equal(["entry 1", "entry 2"], read.Entries.Select(e => e.Message));
        Assert.Equal(3, read.Entries[0].Offset);
        Assert.Equal(new FileInfo(path).Length, read.Position.Files[0].Offset);
    }
}
