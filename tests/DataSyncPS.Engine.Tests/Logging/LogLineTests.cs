using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Tests.Logging;

/// <summary>What a log line says: CLEF for Seq and tools, a plain line for people.</summary>
public class LogLineTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 29, 1, 0, 3, 123, TimeSpan.FromHours(-3));

    [Fact]
    public void A_CLEF_line_is_one_JSON_object_with_Seq_fields_and_the_run_fields()
    {
        var e = LogEvents.At(When, "Stream 'vendas': 120 rows; ação concluída") with
        {
            Level = SyncLogLevel.Error,
            ErrorId = "TableNotFound",
            Properties = new Dictionary<string, object?> { ["Sequence"] = 7L, ["Schema"] = "vendas", ["Confirmed"] = true, ["@x"] = "reserved" },
        };
        var bytes = ClefLine.ToUtf8(e);
        var text = Encoding.UTF8.GetString(bytes);

        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ação concluída", text); // UTF-8 as is, no \u escapes
        var json = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal("2026-11-29T04:00:03.1230000Z", json.GetProperty("@t").GetString());
        Assert.Equal("Error", json.GetProperty("@l").GetString());
        Assert.Equal("Stream 'vendas': 120 rows; ação concluída", json.GetProperty("@m").GetString());
        Assert.Equal("Export-SyncBatch", json.GetProperty("Cmdlet").GetString());
        Assert.Equal("6f1d3c9a-5a7e-4b8e-9a41-2d4f0c7b9e13", json.GetProperty("RunId").GetString());
        Assert.Equal("public.vendas", json.GetProperty("Stream").GetString());
        Assert.Equal(120, json.GetProperty("Rows").GetInt64());
        Assert.Equal(3, json.GetProperty("Batches").GetInt64());
        Assert.Equal(45_678, json.GetProperty("Bytes").GetInt64());
        Assert.Equal(1250.0, json.GetProperty("DurationMs").GetDouble());
        Assert.Equal("TableNotFound", json.GetProperty("ErrorId").GetString());
        Assert.Equal(7, json.GetProperty("Sequence").GetInt64());
        Assert.True(json.GetProperty("Confirmed").GetBoolean());
        Assert.False(json.TryGetProperty("@x", out _));
    }

    [Fact]
    public void A_text_line_is_one_line_with_local_time_level_cmdlet_message_and_fields()
    {
        var e = LogEvents.At(When, "Export failed:\nline two\r\nline three") with { ErrorId = "HostUnreachable", Level = SyncLogLevel.Error };
        var line = TextLine.Format(e, TimeZoneInfo.CreateCustomTimeZone("BRT", TimeSpan.FromHours(-3), "BRT", "BRT"));

        Assert.DoesNotContain('\n', line);
        Assert.Equal("2026-11-29 01:00:03.123 -03:00 [ERR] Export-SyncBatch: Export failed: ⏎ line two ⏎ line three | error=HostUnreachable " +
                     "stream=public.vendas rows=120 batches=3 bytes=45678 duration=1.250s run=6f1d3c9a-5a7e-4b8e-9a41-2d4f0c7b9e13", line);
    }
}
