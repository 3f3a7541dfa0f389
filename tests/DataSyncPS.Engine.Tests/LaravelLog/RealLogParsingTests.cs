using System.Text;
using System.Text.Json;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>The parser against three laravel.log files committed to public repositories (see
/// ../shared/data/laravel/SOURCES.md for where they come from and what they hold).</summary>
public sealed class RealLogParsingTests
{
    [Theory]
    [InlineData("real-1.log", 15, "ERROR:15")]
    [InlineData("real-2.log", 7, "ERROR:7")]
    [InlineData("real-3.log", 41, "ERROR:2,INFO:39")]
    public void Entry_counts_and_levels_match_the_sources_notes(string file, int count, string levels)
    {
        var read = LogReadResult.Of(SampleLogs.Path(file));

        Assert.Empty(read.Errors);
        Assert.Equal(count, read.Entries.Count);
        var perLevel = read.Entries.GroupBy(e => e.Level).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}");
        Assert.Equal(levels, string.Join(",", perLevel));
        Assert.All(read.Entries, e => Assert.Equal("local", e.Environment));
        Assert.All(read.Entries, e => Assert.Equal(file, e.File));
    }

    [Fact]
    public void All_three_files_hold_63_entries()
    {
        var total = new[] { "real-1.log", "real-2.log", "real-3.log" }.Sum(f => LogReadResult.Of(SampleLogs.Path(f)).Entries.Count);
        Assert.Equal(63, total);
    }

    [Theory]
    [InlineData("real-1.log")]
    [InlineData("real-2.log")]
    [InlineData("real-3.log")]
    public void Offsets_point_at_each_header_and_the_position_ends_at_the_file_end(string file)
    {
        var path = SampleLogs.Path(file);
        var bytes = File.ReadAllBytes(path);
        var read = LogReadResult.Of(path);

        Assert.Equal(0, read.Entries[0].Offset);
        foreach (var e in read.Entries)
        {
            var head = Encoding.UTF8.GetString(bytes, (int)e.Offset, 22);
            Assert.Equal($"[{e.Timestamp:yyyy-MM-dd HH:mm:ss}] ", head);
        }
        Assert.Equal(bytes.Length, Assert.Single(read.Position.Files).Offset);
        Assert.Equal(bytes.Length, read.After[^1].Offset);
        // Each entry ends where the next starts.
        for (var i = 0; i + 1 < read.Entries.Count; i++) Assert.Equal(read.Entries[i + 1].Offset, read.After[i].Offset);
    }

    [Fact]
    public void Old_format_keeps_the_exception_line_as_message_and_the_frames_as_stack()
    {
        var read = LogReadResult.Of(SampleLogs.Path("real-1.log"));

        var first = read.Entries[0];
        Assert.Equal(new DateTimeOffset(2017, 5, 31, 17, 11, 31, TimeSpan.Zero), first.Timestamp);
        Assert.StartsWith("exception 'RuntimeException' with message 'The only supported ciphers", first.Message);
        Assert.EndsWith(@"src\Illuminate\Encryption\Encrypter.php:43", first.Message);
        Assert.StartsWith(@"#0 C:\wamp64\www\sportsapp\vendor\laravel\framework\src\Illuminate\Encryption\EncryptionServiceProvider.php(27)", first.Stack);
        Assert.All(read.Entries, e =>
        {
            Assert.Null(e.Context);
            Assert.Null(e.Extra);
            Assert.DoesNotContain("Stack trace:", e.Message);
            Assert.NotNull(e.Stack);
            Assert.StartsWith("#0 ", e.Stack);
            Assert.EndsWith("{main}", e.Stack); // the two blanks for empty context and extra are not part of it
        });
        // 20 "Stack trace:" lines for 15 entries: 5 chained exceptions keep theirs inside the stack.
        Assert.Equal(5, read.Entries.Sum(e => CountOf(e.Stack!, "\nStack trace:\n")));
        Assert.Equal(5, read.Entries.Count(e => e.Stack!.Contains("\n\nNext exception 'Illuminate\\Database\\QueryException'", StringComparison.Ordinal)));
        Assert.Equal(new DateTimeOffset(2017, 5, 31, 17, 26, 40, TimeSpan.Zero), read.Entries[^1].Timestamp);
    }

    [Fact]
    public void New_format_parses_the_multi_line_context_and_takes_the_stack_from_its_exception()
    {
        var read = LogReadResult.Of(SampleLogs.Path("real-2.log"));

        Assert.All(read.Entries, e =>
        {
            var context = Assert.IsType<JsonElement>(e.Context);
            var exception = context.GetProperty("exception").GetString()!;
            Assert.StartsWith("[object] (", exception);
            Assert.Contains("\n[stacktrace]\n#0 ", exception);
            Assert.StartsWith(@"#0 F:\programs\xamapp\htdocs\food-tango\", e.Stack); // JSON escapes undone
            Assert.EndsWith("{main}", e.Stack);
            Assert.DoesNotContain("{\"", e.Message);
            Assert.Null(e.Extra);
        });
        Assert.Equal(4, read.Entries.Count(e => e.Message == "Invalid key supplied"));
        var withUser = read.Entries.Where(e => e.Context!.Value.TryGetProperty("userId", out _)).ToList();
        Assert.Equal(3, withUser.Count);
        Assert.All(withUser, e =>
        {
            Assert.Equal(513, e.Context!.Value.GetProperty("userId").GetInt32());
            Assert.Equal("foreach() argument must be of type array|object, null given", e.Message);
        });
        Assert.Contains("#44 {main}", read.Entries[^1].Stack);
        Assert.Equal(new DateTimeOffset(2023, 12, 16, 18, 13, 48, TimeSpan.Zero), read.Entries[^1].Timestamp);
    }

    [Fact]
    public void Crlf_inside_entries_stays_inside_one_entry()
    {
        var read = LogReadResult.Of(SampleLogs.Path("real-3.log"));

        var info = read.Entries.Where(e => e.Level == "INFO").ToList();
        Assert.Equal(39, info.Count);
        Assert.All(info, e =>
        {
            Assert.StartsWith("Message-ID: <", e.Message);
            Assert.Contains("\r\nSubject: Test Email\r\n", e.Message);
            Assert.EndsWith("Content-Transfer-Encoding: quoted-printable", e.Message);
            Assert.Equal(7, CountOf(e.Message, "\r\n")); // 8 header lines; the CRLF after the last is trailing blank
            Assert.Null(e.Context);
            Assert.Null(e.Stack);
        });
        Assert.Equal(41, read.Entries.Select(e => e.Offset).Distinct().Count());
    }

    [Fact]
    public void Bare_cr_in_stack_frames_and_crlf_in_the_message_survive_in_the_error_entries()
    {
        var read = LogReadResult.Of(SampleLogs.Path("real-3.log"));

        var errors = read.Entries.Where(e => e.Level == "ERROR").ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.StartsWith("Expected response code 354 but got code \"550\"", e.Message);
            Assert.EndsWith(" - gsmtp\r\n\"", e.Message); // the raw CRLF of the SMTP reply, then the closing quote
            var exception = e.Context!.Value.GetProperty("exception").GetString()!;
            Assert.StartsWith("[object] (Swift_TransportException(code: 550): ", exception);
            Assert.Contains(" - gsmtp\r\n\" at C:\\xampp\\", exception);
            Assert.StartsWith(@"#0 C:\xampp\htdocs\email-sender\vendor\swiftmailer\", e.Stack);
            Assert.EndsWith("#50 {main}", e.Stack);
            // The frames split by "DATA\<CR>\<LF>" come back whole: Monolog's \r/\n replacement undone.
            Assert.Equal(2, CountOf(e.Stack!, @"->executeCommand('DATA\r\n', Array"));
            Assert.Equal(51, e.Stack!.Split('\n').Count(l => l.StartsWith('#')));
        });
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
