using System.Text;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Sources.LaravelLog;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>Damaged and unfinished entries: reported and skipped, or left for the next run; never
/// glued onto a neighbouring entry.</summary>
public sealed class LogCorruptionTests
{
    [Fact]
    public void A_header_whose_timestamp_does_not_parse_is_reported_with_its_line_and_skipped_whole()
    {
        using var dir = new TempDirectory();
        var text = LogText.Entry(1) + "[2024-13-45 10:00:00] local.ERROR: bad\ncontinuation of bad\n" + LogText.Entry(2);
        var read = LogReadResult.OfText(dir, text);

        Assert.Equal(["entry 1", "entry 2"], read.Entries.Select(e => e.Message));
        var error = Assert.Single(read.Errors);
        Assert.Equal(SyncErrorKind.LogEntryCorrupt, error.Kind);
        Assert.Equal(dir.Combine("laravel.log") + ":2: timestamp '2024-13-45 10:00:00' does not parse", error.Message);
        Assert.Equal(dir.Combine("laravel.log"), error.Target);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), read.Position.Files[0].Offset);
    }

    [Theory]
    [InlineData("[2024-01-0 10:00:00] local.ERROR: short date\n")]
    [InlineData("[yesterday] local.ERROR: words\n")]
    [InlineData("[2024-01-02 10:00:00] local.ERR[2024-01-02 10:00:09] local.INFO: a writer cut off, another appended\n")]
    public void Header_shaped_lines_that_are_not_valid_headers_are_reported_not_merged(string damaged)
    {
        using var dir = new TempDirectory();
        var read = LogReadResult.OfText(dir, LogText.Entry(1) + damaged + LogText.Entry(2));

        Assert.Equal(["entry 1", "entry 2"], read.Entries.Select(e => e.Message));
        Assert.Contains(":2: ", Assert.Single(read.Errors).Message);
    }

    [Fact]
    public void Text_before_the_first_entry_is_reported()
    {
        using var dir = new TempDirectory();
        var read = LogReadResult.OfText(dir, "garbage\nmore garbage\n" + LogText.Entries(1, 2));

        Assert.Equal(2, read.Entries.Count);
        Assert.Equal("garbage\nmore garbage\n".Length, read.Entries[0].Offset);
        Assert.Equal(3, read.Entries[0].Line);
        Assert.EndsWith("laravel.log:1: 2 line(s) of text that belong to no entry (no '[timestamp] env.LEVEL:' header before them)", Assert.Single(read.Errors).Message);
    }

    [Fact]
    public void An_entry_larger_than_the_limit_is_reported_and_skipped()
    {
        using var dir = new TempDirectory();
        var huge = "[2024-01-02 10:00:01] local.INFO: " + new string('x', 5000) + "\n" + new string('y', 5000) + "  \n";
        var read = LogReadResult.OfText(dir, LogText.Entry(0) + huge + LogText.Entry(2), splitter: new LogEntrySplitter(4096));

        Assert.Equal(["entry 0", "entry 2"], read.Entries.Select(e => e.Message));
        Assert.Contains($":2: entry of {huge.Length:N0} bytes is larger than an entry may be", Assert.Single(read.Errors).Message);
        Assert.Equal(LogText.Entry(0).Length + huge.Length, read.Entries[1].Offset);
    }
}
