using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>The parser on small logs written inline: the shapes of Monolog's line format.</summary>
public sealed class LogEntryParsingTests
{
    [Theory]
    [InlineData("msg  ", "msg", null, null)]                                 // Laravel, nothing attached
    [InlineData("msg {\"a\":1} ", "msg", "{\"a\":1}", null)]                 // context
    [InlineData("msg  {\"uid\":\"x\"}", "msg", null, "{\"uid\":\"x\"}")]     // extra only
    [InlineData("msg {\"a\":1} {\"b\":2}", "msg", "{\"a\":1}", "{\"b\":2}")] // both
    [InlineData("msg [] []", "msg", "[]", "[]")]                             // older Monolog
    [InlineData("msg {\"a\":1}", "msg", "{\"a\":1}", null)]                  // trailing blank lost: one value is the context
    [InlineData("plain text", "plain text", null, null)]                     // a custom format without them
    [InlineData("see {main}  ", "see {main}", null, null)]                   // braces that are not JSON stay
    [InlineData("bad {\"a\":} ", "bad {\"a\":}", null, null)]                // a context that does not parse stays in the message
    [InlineData("values [1,2]  ", "values [1,2]", null, null)]               // the blanks say it is message text
    public void Splits_message_context_and_extra(string body, string message, string? context, string? extra)
    {
        using var dir = new TempDirectory();
        var e = Assert.Single(LogReadResult.OfText(dir, $"[2024-01-02 10:00:00] production.WARNING: {body}\n").Entries);

        Assert.Equal("production", e.Environment);
        Assert.Equal("WARNING", e.Level);
        Assert.Equal(message, e.Message);
        Assert.Equal(context, e.Context?.GetRawText());
        Assert.Equal(extra, e.Extra?.GetRawText());
    }

    [Theory]
    [InlineData("2024-01-02 10:00:00", "2024-01-02T10:00:00-03:00")]            // no offset: the source's zone
    [InlineData("2024-01-02T10:00:00.123456+00:00", "2024-01-02T10:00:00.123456+00:00")]
    [InlineData("2024-01-02T10:00:00.5-05:30", "2024-01-02T10:00:00.5-05:30")]
    [InlineData("2024-01-02 10:00:00.123456789Z", "2024-01-02T10:00:00.1234567+00:00")] // kept to the 100 ns tick
    [InlineData("2024-01-02T10:00:00+0200", "2024-01-02T10:00:00+02:00")]
    public void Timestamps_come_out_iso_8601_with_offset(string logged, string expected)
    {
        using var dir = new TempDirectory();
        var zone = TimeZoneInfo.CreateCustomTimeZone("test-03", TimeSpan.FromHours(-3), "test-03", "test-03");
        var read = LogReadResult.OfText(dir, $"[{logged}] local.INFO: hi  \n", zone);

        var json = JsonDocument.Parse(RowJson(Assert.Single(read.Entries))).RootElement;
        Assert.Equal(expected, json.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Multi_line_messages_and_old_style_stack_traces_belong_to_their_entry()
    {
        using var dir = new TempDirectory();
        var text =
            "[2024-01-02 10:00:00] local.ERROR: exception 'RuntimeException' with message 'boom' in /app/a.php:3\n" +
            "Stack trace:\n#0 /app/b.php(7): a()\n#1 {main}  \n" +
            "[2024-01-02 10:00:01] local.INFO: first line\nsecond line\n\n  indented [not a header] x.Y: no  \n";
        var read = LogReadResult.OfText(dir, text);

        Assert.Empty(read.Errors);
        Assert.Equal(2, read.Entries.Count);
        Assert.Equal("exception 'RuntimeException' with message 'boom' in /app/a.php:3", read.Entries[0].Message);
        Assert.Equal("#0 /app/b.php(7): a()\n#1 {main}", read.Entries[0].Stack);
        Assert.Equal("first line\nsecond line\n\n  indented [not a header] x.Y: no", read.Entries[1].Message);
        Assert.Null(read.Entries[1].Stack);
    }

    [Fact]
    public void New_style_stack_comes_from_the_context_exception()
    {
        using var dir = new TempDirectory();
        var text = "[2024-01-02 10:00:00] local.ERROR: Oops {\"exception\":\"[object] (Exception(code: 0): Oops at C:\\\\app\\\\x.php:9)\n" +
                   "[stacktrace]\n#0 C:\\\\app\\\\y.php(3): f('a\\\\nb')\n#1 {main}\n\"} \n";
        var e = Assert.Single(LogReadResult.OfText(dir, text).Entries);

        Assert.Equal("Oops", e.Message);
        Assert.Equal("#0 C:\\app\\y.php(3): f('a\\nb')\n#1 {main}", e.Stack);
        Assert.StartsWith("[object] (Exception(code: 0): Oops at C:\\app\\x.php:9)\n[stacktrace]\n", e.Context!.Value.GetProperty("exception").GetString());
    }

    [Fact]
    public void Crlf_line_ends_and_crlf_inside_messages_keep_one_entry_each()
    {
        using var dir = new TempDirectory();
        var text = "[2024-01-02 10:00:00] local.INFO: a\r\nb\rc  \r\n[2024-01-02 10:00:01] local.INFO: d {\"k\":\"v\"} \r\n";
        var read = LogReadResult.OfText(dir, text);

        Assert.Equal(2, read.Entries.Count);
        Assert.Equal("a\r\nb\rc", read.Entries[0].Message);
        Assert.Equal("d", read.Entries[1].Message);
        Assert.Equal("v", read.Entries[1].Context!.Value.GetProperty("k").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(text), read.Position.Files[0].Offset);
    }

    [Fact]
    public void Non_ascii_text_is_kept_as_is_and_offsets_count_bytes()
    {
        using var dir = new TempDirectory();
        var first = "[2024-01-02 10:00:00] local.INFO: Pedido nº 42 — São Paulo {\"cidade\":\"São Paulo\",\"emoji\":\"🚚\"} \n";
        var read = LogReadResult.OfText(dir, first + LogText.Entry(1));

        Assert.Equal("Pedido nº 42 — São Paulo", read.Entries[0].Message);
        Assert.Equal(Encoding.UTF8.GetByteCount(first), read.Entries[1].Offset);
        Assert.NotEqual(first.Length, read.Entries[1].Offset);
        var row = RowJson(read.Entries[0]);
        Assert.Contains("\"message\":\"Pedido nº 42 — São Paulo\"", row); // UTF-8 as written, not \u escapes
        Assert.Contains("\"cidade\":\"São Paulo\"", row);
        Assert.Equal("🚚", JsonDocument.Parse(row).RootElement.GetProperty("context").GetProperty("emoji").GetString());
    }

    [Fact]
    public void Row_json_has_every_field()
    {
        using var dir = new TempDirectory();
        var e = Assert.Single(LogReadResult.OfText(dir, LogText.Entry(5, "ERROR")).Entries);
        var row = JsonDocument.Parse(RowJson(e)).RootElement;

        Assert.Equal(["timestamp", "environment", "level", "message", "context", "extra", "stack", "file", "offset"],
            row.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2024-01-02T10:00:05+00:00", row.GetProperty("timestamp").GetString());
        Assert.Equal("ERROR", row.GetProperty("level").GetString());
        Assert.Equal(5, row.GetProperty("context").GetProperty("n").GetInt32());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("extra").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("stack").ValueKind);
        Assert.Equal("laravel.log", row.GetProperty("file").GetString());
        Assert.Equal(0, row.GetProperty("offset").GetInt64());
    }

    internal static string RowJson(Sources.LaravelLog.LaravelLogEntry entry)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Batches.JsonValueWriter.WriterOptions)) entry.WriteTo(w);
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
