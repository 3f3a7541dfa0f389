using System.Text.Json;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Sources.LaravelLog;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>Export-SyncBatch on a Laravel log: batches out, watermark per committed batch, reruns that
/// read only what is new, and stops at any point that lose and repeat nothing.</summary>
public sealed class LogExporterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("real-1.log", 15)]
    [InlineData("real-2.log", 7)]
    [InlineData("real-3.log", 41)]
    public async Task Exports_every_entry_of_the_real_logs_as_rows_equal_to_the_parsed_entries(string sample, int count)
    {
        using var run = new LogExportRun();
        File.Copy(SampleLogs.Path(sample), run.Log());

        var (summary, observer) = await run.ExportAsync(batchSize: 10, ct: Ct);

        Assert.Equal("laravel", summary.Stream);
        Assert.Equal(count, summary.Rows);
        Assert.Equal((count + 9) / 10, summary.Batches);
        Assert.Empty(observer.Errors);
        Assert.All(run.Batches, b => Assert.StartsWith("laravel-", Path.GetFileName(b.Path)));
        var rows = BatchFiles.Rows(run.Batches);
        var expected = LogReadResult.Of(run.Log()).Entries.Select(LogEntryParsingTests.RowJson).ToList();
        Assert.Equal(expected, rows.Select(r => r.GetRawText()));
        var stored = LogPosition.Parse(run.StoredWatermark(run.Logs));
        Assert.Equal(new FileInfo(run.Log()).Length, Assert.Single(stored.Files).Offset);
        Assert.Equal(summary.Watermark, run.StoredWatermark(run.Logs));
    }

    [Fact]
    public async Task A_rerun_after_appending_exports_only_the_new_entries()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entries(1, 5));

        var first = await run.ExportAsync(ct: Ct);
        LogText.Append(run.Log(), LogText.Entries(6, 3));
        var second = await run.ExportAsync(ct: Ct);
        var third = await run.ExportAsync(ct: Ct);

        Assert.Equal(5, first.Summary.Rows);
        Assert.Equal(3, second.Summary.Rows);
        Assert.Equal(0, third.Summary.Rows);
        Assert.Equal(0, third.Summary.Batches);
        Assert.Equal(Enumerable.Range(1, 8), run.ExportedNumbers());
        Assert.Equal([1L, 2L], run.Batches.Select(b => b.Sequence));
    }

    [Fact]
    public async Task Rotation_by_rename_loses_and_repeats_nothing()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entries(1, 3));
        await run.ExportAsync(ct: Ct);

        LogText.Append(run.Log(), LogText.Entries(4, 2)); // written before the rotation, not yet exported
        File.Move(run.Log(), run.Log("laravel-2024-01-01.log"));
        LogText.Write(run.Log(), LogText.Entries(6, 2));
        var (summary, _) = await run.ExportAsync(ct: Ct);
        LogText.Append(run.Log(), LogText.Entries(8, 1));
        await run.ExportAsync(ct: Ct);

        Assert.Equal(4, summary.Rows);
        Assert.Equal(Enumerable.Range(1, 8), run.ExportedNumbers());
    }

    [Fact]
    public async Task Rotation_of_a_single_file_source_follows_the_renamed_file()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entries(1, 3));
        await run.ExportAsync(run.Log(), ct: Ct);

        LogText.Append(run.Log(), LogText.Entries(4, 1));
        File.Move(run.Log(), run.Log("laravel-2024-01-01.log"));
        LogText.Write(run.Log(), LogText.Entries(5, 1));
        await run.ExportAsync(run.Log(), ct: Ct);

        Assert.Equal(Enumerable.Range(1, 5), run.ExportedNumbers());
    }

    [Fact]
    public async Task A_daily_folder_is_exported_in_date_order_and_resumed()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log("laravel-2024-01-02.log"), LogText.Entries(3, 2));
        LogText.Write(run.Log("laravel-2024-01-01.log"), LogText.Entries(1, 2));
        await run.ExportAsync(batchSize: 3, ct: Ct);

        LogText.Append(run.Log("laravel-2024-01-02.log"), LogText.Entries(5, 1));
        LogText.Write(run.Log("laravel-2024-01-03.log"), LogText.Entries(6, 3));
        await run.ExportAsync(batchSize: 3, ct: Ct);

        Assert.Equal(Enumerable.Range(1, 8), run.ExportedNumbers());
        var files = BatchFiles.Rows(run.Batches).Select(r => r.GetProperty("file").GetString()).Distinct();
        Assert.Equal(["laravel-2024-01-01.log", "laravel-2024-01-02.log", "laravel-2024-01-03.log"], files);
    }

    [Fact]
    public async Task Cancelling_mid_run_leaves_no_temporary_file_and_no_advanced_watermark()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entries(1, 30) + "[2024-99-99 00:00:00] local.INFO: corrupt\n" + LogText.Entries(31, 30));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.ExportAsync(onItemError: _ => cts.Cancel(), ct: cts.Token));

        Assert.Empty(run.Batches);
        Assert.Empty(run.TemporaryFiles());
        Assert.Empty(Directory.GetFiles(run.Output, "*.jsonl.gz"));
        Assert.Null(run.StoredWatermark(run.Logs));

        var (summary, observer) = await run.ExportAsync(ct: Ct);
        Assert.Equal(60, summary.Rows);
        Assert.Single(observer.Errors);
    }

    [Fact]
    public async Task A_stop_after_some_batches_then_a_rerun_delivers_every_entry_exactly_once()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entries(1, 55) + "[2024-99-99 00:00:00] local.INFO: corrupt\n" + LogText.Entries(56, 45));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Stop at the corrupt entry once the 5 batches closed before it are committed; the 6th is open.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.ExportAsync(batchSize: 10,
            onItemError: o => { Assert.True(SpinWait.SpinUntil(() => o.Batches.Count == 5, 10_000)); cts.Cancel(); }, ct: cts.Token));
        Assert.Equal(5, run.Batches.Count);
        Assert.Empty(run.TemporaryFiles());
        Assert.Equal(run.Batches[^1].PendingWatermark, run.StoredWatermark(run.Logs));
        Assert.Equal(Enumerable.Range(1, 50), run.ExportedNumbers());

        await run.ExportAsync(batchSize: 10, ct: Ct);

        Assert.Equal(Enumerable.Range(1, 100), run.ExportedNumbers());
        Assert.Equal(Enumerable.Range(1, run.Batches.Count).Select(i => (long)i), run.Batches.Select(b => b.Sequence));
    }

    [Fact]
    public async Task A_corrupt_entry_is_reported_once_and_skipped()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entry(1) + "[2024-01-02 25:61:00] local.ERROR: bad hour\n#0 frame\n" + LogText.Entry(2));

        var first = await run.ExportAsync(ct: Ct);
        LogText.Append(run.Log(), "[2024-01-02 10:00:03]local.INFO: no blank\n"); // a damaged header, not a line of entry 2
        var second = await run.ExportAsync(ct: Ct);
        var third = await run.ExportAsync(ct: Ct);

        var error = Assert.Single(first.Observer.Errors);
        Assert.Equal(SyncErrorKind.LogEntryCorrupt, error.Kind);
        Assert.Equal($"{run.Log()}:2: timestamp '2024-01-02 25:61:00' does not parse", error.Message);
        Assert.Equal(run.Log(), error.Target);
        Assert.Equal([1, 2], run.ExportedNumbers());
        Assert.DoesNotContain(BatchFiles.Rows(run.Batches), r => r.GetProperty("message").GetString()!.Contains("frame", StringComparison.Ordinal));
        // Corrupt text after the last entry: reported, then the position moves past it without a row.
        Assert.Equal(0, second.Summary.Rows);
        Assert.Contains(":5: malformed entry header", Assert.Single(second.Observer.Errors).Message);
        Assert.Empty(third.Observer.Errors);
        Assert.Equal(new FileInfo(run.Log()).Length, LogPosition.Parse(run.StoredWatermark(run.Logs)).Files[0].Offset);
    }

    [Fact]
    public async Task An_entry_still_being_written_is_exported_once_complete()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entries(1, 2) + "[2024-01-02 10:00:03] local.INFO: entry 3 {\"n\":3");

        var first = await run.ExportAsync(ct: Ct);
        LogText.Append(run.Log(), "} \n");
        var second = await run.ExportAsync(ct: Ct);

        Assert.Equal(2, first.Summary.Rows);
        Assert.Equal(1, second.Summary.Rows);
        Assert.Equal([1, 2, 3], run.ExportedNumbers());
    }

    [Fact]
    public async Task Exports_while_laravel_appends_in_partial_writes_deliver_every_entry_once()
    {
        using var run = new LogExportRun();
        File.WriteAllBytes(run.Log(), []);
        await run.ExportAsync(ct: Ct); // warm up, so the exports below overlap the writes
        const int total = 300;
        var runsWhileWriting = 0;
        var writer = Task.Run(() =>
        {
            for (var n = 1; n <= total; n++)
            {
                var entry = LogText.Entry(n);
                var cut = 1 + n % (entry.Length - 2); // anywhere inside the line, header included
                LogText.Append(run.Log(), entry[..cut]);
                // Halfway, with an entry cut in two, a few exports run against it before it is finished.
                if (n == total / 2) SpinWait.SpinUntil(() => Volatile.Read(ref runsWhileWriting) >= 3, 10_000);
                LogText.Append(run.Log(), entry[cut..]);
                Thread.Sleep(1);
            }
        }, Ct);

        var errors = 0;
        while (!writer.IsCompleted)
        {
            errors += (await run.ExportAsync(batchSize: 7, ct: Ct)).Observer.Errors.Count;
            Interlocked.Increment(ref runsWhileWriting);
        }
        await writer;
        errors += (await run.ExportAsync(batchSize: 7, ct: Ct)).Observer.Errors.Count;

        Assert.True(runsWhileWriting >= 3);
        Assert.Equal(0, errors);
        Assert.Equal(Enumerable.Range(1, total), run.ExportedNumbers());
    }

    [Fact]
    public async Task A_missing_folder_is_a_path_not_found_error()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entry(1));
        var source = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = ProviderKind.LaravelLog, Path = run.Logs }, test: true, Ct);
        Directory.Delete(run.Logs, recursive: true);
        var request = new Export.ExportRequest { Source = source, OutputDirectory = run.Output, StatePath = run.StatePath };

        var ex = await Assert.ThrowsAsync<SyncException>(() => Export.LogExporter.RunAsync(request, new RecordingObserver(), new Export.ExportProgress(), Ct));

        Assert.Equal(SyncErrorKind.PathNotFound, ex.Kind);
        Assert.Null(run.StoredWatermark(run.Logs));
    }

    [Fact]
    public async Task The_stream_name_can_be_chosen()
    {
        using var run = new LogExportRun();
        LogText.Write(run.Log(), LogText.Entry(1));
        var source = await SourceConnector.ConnectAsync(new ConnectionSpec { Provider = ProviderKind.LaravelLog, Path = run.Logs }, test: true, Ct);
        var request = new Export.ExportRequest { Source = source, OutputDirectory = run.Output, StatePath = run.StatePath, Stream = "app-log" };
        var observer = new RecordingObserver();

        var summary = await Export.LogExporter.RunAsync(request, observer, new Export.ExportProgress(), Ct);

        Assert.Equal("app-log", summary.Stream);
        Assert.Equal("app-log-000001.jsonl.gz", Path.GetFileName(Assert.Single(observer.Batches).Path));
        Assert.Equal(JsonValueKind.Object, BatchFiles.Rows(observer.Batches)[0].GetProperty("context").ValueKind);
    }
}
