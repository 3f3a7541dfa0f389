using System.Text.Json;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Engine.Notify;
using DataSyncPS.Engine.Tests.Http;
using static DataSyncPS.Engine.Tests.Http.ScriptedHttpServer;

namespace DataSyncPS.Engine.Tests.Logging;

/// <summary>The writer behind every cmdlet: never blocks its caller, writes files and Seq in order,
/// and a dead or stalled Seq costs one problem report, not the run.</summary>
public class SyncLogWriterTests
{
    private static readonly DateTimeOffset When = DateTimeOffset.Now;

    [Fact]
    public void Events_reach_the_file_and_Seq_by_the_time_Flush_returns()
    {
        using var dir = new TempDirectory();
        using var server = new ScriptedHttpServer();
        var writer = new SyncLogWriter(new RollingLogFile(dir.Path, SyncLogFormat.Clef, 14), new SeqClefSender(server.BaseUrl, "k"));
        for (var i = 0; i < 3; i++) writer.Write(LogEvents.At(When, $"event {i}"));

        Assert.True(writer.Flush(writer.FlushLimit));

        var file = File.ReadAllLines(Assert.Single(Directory.GetFiles(dir.Path)));
        Assert.Equal(["event 0", "event 1", "event 2"], file.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("@m").GetString()));
        Assert.Equal(3, server.Requests.Sum(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.Empty(writer.TakeProblems());
    }

    [Fact]
    public void A_dead_Seq_is_reported_once_and_the_file_still_gets_every_event()
    {
        using var dir = new TempDirectory();
        var writer = new SyncLogWriter(new RollingLogFile(dir.Path, SyncLogFormat.Text, 14), new SeqClefSender(SeqClefSenderTests.ClosedPort(), "k"));

        writer.Write(LogEvents.At(When, "first run"));
        Assert.True(writer.Flush(writer.FlushLimit));
        var problem = Assert.Single(writer.TakeProblems());
        Assert.Contains("not reaching Seq", problem);

        writer.Write(LogEvents.At(When, "second run"));
        Assert.True(writer.Flush(writer.FlushLimit));
        Assert.Empty(writer.TakeProblems());

        var text = File.ReadAllText(Assert.Single(Directory.GetFiles(dir.Path)));
        Assert.Contains("first run", text);
        Assert.Contains("second run", text);
        Assert.Contains("did not take 1 event(s)", text); // why Seq is empty, where the admin looks
    }

    [Fact]
    public void A_stalled_Seq_is_given_up_on_within_the_flush_limit()
    {
        using var dir = new TempDirectory();
        using var server = new ScriptedHttpServer(new Reply(201, Delay: TimeSpan.FromMinutes(5)));
        var writer = new SyncLogWriter(new RollingLogFile(dir.Path, SyncLogFormat.Text, 14), new SeqClefSender(server.BaseUrl, "k", TimeSpan.FromMilliseconds(500)));
        writer.Write(LogEvents.At(When, "run"));

        Assert.True(writer.Flush(writer.FlushLimit), "Flush should have returned once Seq's timeout passed");
        Assert.Contains("did not answer", Assert.Single(writer.TakeProblems()));
        Assert.Contains("run", File.ReadAllText(Assert.Single(Directory.GetFiles(dir.Path))));
    }

    [Fact]
    public void Writing_never_blocks_when_the_queue_is_full_it_drops_and_says_so_once()
    {
        using var server = new ScriptedHttpServer(new Reply(201, Delay: TimeSpan.FromMinutes(5)));
        var writer = new SyncLogWriter(null, new SeqClefSender(server.BaseUrl, "k", TimeSpan.FromMinutes(5)));

        for (var i = 0; i < SyncLogWriter.Capacity * 2 + 1000; i++) writer.Write(LogEvents.At(When, $"event {i}"));

        Assert.True(writer.Dropped > 0);
        Assert.Contains(writer.TakeProblems(), p => p.Contains("dropped"));
        Assert.DoesNotContain(writer.TakeProblems(), p => p.Contains("dropped"));
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_a_problem_reported_once()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("in-the-way"), "a file where the folder should be");
        var writer = new SyncLogWriter(new RollingLogFile(dir.Combine("in-the-way"), SyncLogFormat.Text, 14), null);
        writer.Write(LogEvents.At(When));
        Assert.True(writer.Flush(writer.FlushLimit));
        writer.Write(LogEvents.At(When));
        Assert.True(writer.Flush(writer.FlushLimit));
        Assert.Contains("cannot be written", Assert.Single(writer.TakeProblems()));
    }

    [Fact]
    public void A_log_run_stamps_every_event_with_cmdlet_run_stream_and_counts()
    {
        using var dir = new TempDirectory();
        var writer = new SyncLogWriter(new RollingLogFile(dir.Path, SyncLogFormat.Clef, 14), null);
        var run = new LogRun(writer, SyncLogLevel.Information, "Export-SyncBatch") { Stream = "public.vendas" };
        run.Started("-Table vendas");
        run.Write(SyncLogLevel.Verbose, "below the level: not written");
        run.Count(100, 1, 2048);
        run.Write(SyncLogLevel.Information, "Batch public.vendas #1 written.");
        run.Error("Boom.", "RemoteCallFailed");
        run.Ended(RunStatus.Succeeded);
        run.Ended(RunStatus.Failed); // once only
        Assert.True(run.Flush());

        var events = File.ReadAllLines(Assert.Single(Directory.GetFiles(dir.Path))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("Export-SyncBatch", e.GetProperty("Cmdlet").GetString());
            Assert.Equal(run.RunId, e.GetProperty("RunId").GetString());
            Assert.Equal("public.vendas", e.GetProperty("Stream").GetString());
            Assert.True(e.TryGetProperty("Rows", out _) && e.TryGetProperty("Batches", out _) && e.TryGetProperty("Bytes", out _) && e.TryGetProperty("DurationMs", out _));
        });
        Assert.Equal("Export-SyncBatch started: -Table vendas", events[0].GetProperty("@m").GetString());
        Assert.Equal("RemoteCallFailed", events[2].GetProperty("ErrorId").GetString());
        Assert.Equal("Warning", events[3].GetProperty("@l").GetString()); // completed, with an error
        Assert.Equal(100, events[3].GetProperty("Rows").GetInt64());
        Assert.Equal(1, events[3].GetProperty("Errors").GetInt32());
        Assert.Equal("CompletedWithErrors", events[3].GetProperty("Status").GetString());
    }
}
