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

    // Binary garbage after an entry (a crash that left NUL-filled blocks, another program writing into
    // the file) is not the entry's message: the entry is exported as it was written, the garbage reported.
    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x01, 0x7F, 0x00, (byte)'\n' })]
    [InlineData(new byte[] { (byte)'a', 0xC3, 0x28, (byte)'b', (byte)'\n', 0xFF, 0xFE, (byte)'\n' })]
    [InlineData(new byte[] { 0x00, 0x00, (byte)'\n', (byte)'n', (byte)'o', (byte)'t', (byte)' ', (byte)'l', (byte)'o', (byte)'g', (byte)'\n' })]
    public void Binary_continuation_lines_are_corrupt_text_not_the_message_of_the_entry_before(byte[] garbage)
    {
        using var dir = new TempDirectory();
        var before = LogText.Entry(1, message: "São Paulo\nsegunda linha ação");
        var bytes = Encoding.UTF8.GetBytes(before).Concat(garbage).Concat(Encoding.UTF8.GetBytes(LogText.Entry(2))).ToArray();
        var path = dir.Combine("laravel.log");
        File.WriteAllBytes(path, bytes);

        var read = LogReadResult.Of(path);

        Assert.Equal(["São Paulo\nsegunda linha ação", "entry 2"], read.Entries.Select(e => e.Message));
        Assert.Equal("""{"n":1}""", read.Entries[0].Context!.Value.GetRawText());
        var lines = garbage.Count(b => b == (byte)'\n');
        var error = Assert.Single(read.Errors);
        Assert.Equal(SyncErrorKind.LogEntryCorrupt, error.Kind);
        Assert.Equal($"{path}:3: {lines} line(s) of binary data (NUL bytes or invalid UTF-8), not log text; skipped", error.Message);
        Assert.Equal(Encoding.UTF8.GetByteCount(before) + garbage.Length, read.Entries[1].Offset);
        Assert.Equal(3 + lines, read.Entries[1].Line);
        Assert.Equal(bytes.Length, read.Position.Files[0].Offset);
    }

    [Fact]
    public void Binary_garbage_ending_a_finished_file_is_reported_and_the_entry_before_it_kept()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("laravel-2024-01-01.log"), [.. Encoding.UTF8.GetBytes(LogText.Entry(1)), 0x00, 0x00, 0x00, 0x00]);
        LogText.Write(dir.Combine("laravel-2024-01-02.log"), LogText.Entry(3));

        var read = LogReadResult.Of(dir.Path);

        Assert.Equal(["entry 1", "entry 3"], read.Entries.Select(e => e.Message));
        Assert.EndsWith("laravel-2024-01-01.log:2: 1 line(s) of binary data (NUL bytes or invalid UTF-8), not log text; skipped", Assert.Single(read.Errors).Message);
    }

    [Fact]
    public void Binary_garbage_ending_the_file_being_written_does_not_hold_back_the_entry_before_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("laravel.log");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(LogText.Entry(1)), 0x00, 0x00, 0x00, 0x00]);

        var read = LogReadResult.Of(path);

        Assert.Equal("entry 1", Assert.Single(read.Entries).Message);
        Assert.Empty(read.Errors);
        Assert.Equal(LogText.Entry(1).Length, read.Position.Files[0].Offset);
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
