using System.Management.Automation;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Send-DataSnapBatch against the DataSnap emulator (real presigned PUTs on s3rver), as a user
/// types it, with the emulator's faults.</summary>
public class SendDataSnapBatchTests
{
    private const string Key = "dsk_test_Canary-7731-key";

    private static async Task<DataSnapEmulator> EmulatorAsync(params string[] faults)
    {
        ModuleServers.RequireS3();
        var options = new DataSnapEmulatorOptions { Seed = 7, Bucket = "module-tests" };
        options.ApiKeys.Add(Key);
        foreach (var f in faults) options.Faults.Add(FaultRule.Parse(f));
        return await DataSnapEmulator.StartAsync(options);
    }

    private static Dictionary<string, object?> Vars(TempDirectory dir, DataSnapEmulator e, string key = Key) => new()
    {
        ["out"] = dir.Combine("out"),
        ["state"] = dir.Combine("state.db"),
        ["api"] = e.ApiBaseUrl,
        ["key"] = new System.Net.NetworkCredential("", key).SecurePassword,
    };

    private static long ConfirmedRows(DataSnapEmulator e) =>
        ((Dictionary<string, long>)e.Stats()["confirmed_rows"]!).GetValueOrDefault("clientes");

    private const string Records = "1..25 | ForEach-Object { [pscustomobject]@{ id = $_; nome = \"cliente nº $_\" } }";
    private const string Send = "Send-DataSnapBatch -Schema clientes -ApiUrl $api -ApiKey $key -StatePath $state";

    [Fact]
    public async Task Exported_batches_are_sent_confirmed_and_counted_once()
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 10 | {Send} -Verbose", Vars(dir, e)).AssertNoErrors();
        var uploads = r.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(3, uploads.Count);
        Assert.All(uploads, u => Assert.Equal("Confirmed", u.Status.ToString()));
        Assert.All(uploads, u => Assert.Equal("confirmed", (string)u.RemoteStatus));
        Assert.Equal(25L, uploads.Sum(u => (long)u.Rows));
        Assert.Equal(25L, ConfirmedRows(e));
        Assert.Equal("DataSyncPS.DataSnapUpload", r.Output[0].TypeNames[0]);
        Assert.DoesNotContain(r.Verbose, v => v.Contains(Key));
        Assert.DoesNotContain(r.Verbose, v => v.Contains("X-Amz-Signature"));

        // Everything is confirmed: nothing is pending any more.
        Assert.Empty(rs.Run($"{Send} -Pending", Vars(dir, e)).AssertNoErrors().Output);
    }

    [Fact]
    public async Task Api_calls_carry_Content_Length_so_a_server_that_reads_bodies_by_length_accepts_them()
    {
        await using var e = await EmulatorAsync();
        Assert.True(e.Options.RequireContentLength); // strict: a chunked body is 411
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state | {Send}", Vars(dir, e));
        Assert.Empty(e.Calls.Snapshot().Where(c => c.Status == 411).Select(c => $"{c.Method} {c.Path}"));
        r.AssertNoErrors();
        Assert.Equal(25L, ConfirmedRows(e));
    }

    [Fact]
    public async Task Confirmed_batch_files_leave_the_outbox_unless_kept()
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var sent = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 10 | {Send}", Vars(dir, e)).AssertNoErrors();
        Assert.Equal(3, sent.Output.Count);
        Assert.All(sent.Output, o => Assert.False(File.Exists((string)((dynamic)o).Path)));
        Assert.Empty(Directory.GetFiles(dir.Combine("out"), "*.jsonl.gz"));

        var kept = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 10 | {Send} -KeepConfirmed", Vars(dir, e)).AssertNoErrors();
        Assert.Equal(3, kept.Output.Count);
        Assert.All(kept.Output, o => Assert.True(File.Exists((string)((dynamic)o).Path)));
        Assert.Equal(50L, ConfirmedRows(e));
    }

    [Fact]
    public async Task A_pending_batch_whose_file_is_gone_is_PathNotFound_and_the_others_are_sent()
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var batches = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 10", Vars(dir, e)).AssertNoErrors();
        File.Delete((string)((dynamic)batches.Output[1]).Path);

        var r = rs.Run($"{Send} -Pending", Vars(dir, e));

        var error = Assert.Single(r.Errors);
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.SendDataSnapBatchCommand", error.FullyQualifiedErrorId);
        Assert.Contains("missing", error.ToString());
        Assert.Equal(2, r.Output.Count);
        Assert.Equal(15L, ConfirmedRows(e)); // batches 1 and 3: 10 + 5 rows
        Assert.DoesNotContain(e.Calls.Snapshot(), c => c.Path.Contains("000002"));
    }

    [Fact]
    public async Task Faults_are_retried_and_a_lost_confirm_answer_counts_once()
    {
        await using var e = await EmulatorAsync("token:429:next=1,retry_after=1", "put:503:next=1", "confirm:lost-response:next=1",
            "token:expired:next=1", "any:500:percent=20", "any:drop:percent=10");
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 5 | {Send} -MaxAttempts 10", Vars(dir, e)).AssertNoErrors();
        Assert.Equal(5, r.Output.Count);
        Assert.Equal(25L, ConfirmedRows(e));
        Assert.True(r.Output.Sum(o => (int)((dynamic)o).Attempts) > 15, "faults should have cost extra attempts");
    }

    [Fact]
    public async Task A_wrong_key_stops_with_Unauthorized_and_never_shows_the_key()
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        const string wrong = "dsk_wrong_Canary-9911";
        var r = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state | {Send}", Vars(dir, e, wrong));
        var error = Assert.Single(r.Errors);
        Assert.Equal("Unauthorized,DataSyncPS.Cmdlets.SendDataSnapBatchCommand", error.FullyQualifiedErrorId);
        Assert.DoesNotContain(wrong, error.ToString());
        Assert.Equal(0L, ConfirmedRows(e));
    }

    [Fact]
    public async Task Pending_sends_what_an_earlier_run_left_and_WhatIf_sends_nothing()
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 10", Vars(dir, e)).AssertNoErrors();
        Assert.Empty(rs.Run($"{Send} -Pending -WhatIf", Vars(dir, e)).AssertNoErrors().Output);
        Assert.Equal(0, Convert.ToInt32(e.Stats()["uploads"]));
        var r = rs.Run($"{Send} -Pending", Vars(dir, e)).AssertNoErrors();
        Assert.Equal(3, r.Output.Count);
        Assert.Equal(25L, ConfirmedRows(e));
        Assert.Empty(rs.Run($"{Send} -Pending", Vars(dir, e)).AssertNoErrors().Output);
    }

    [Fact]
    public async Task Progress_records_carry_batches_bytes_and_rate_and_complete()
    {
        // Each confirm is held a while, so the throttled progress has uploads in flight to show.
        await using var e = await EmulatorAsync("confirm:delay:delay_ms=700");
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 10", Vars(dir, e)).AssertNoErrors();
        var r = rs.Run($"{Send} -Pending -ThrottleLimit 1", Vars(dir, e)).AssertNoErrors();
        Assert.Equal(3, r.Output.Count);

        var processing = r.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.NotEmpty(processing);
        var status = new System.Text.RegularExpressions.Regex(@"^(\d+) of 3 batch\(es\) sent, (\d[\d.,]*) (B|KB|MB), \d[\d.,]* MB/s$");
        Assert.All(processing, p =>
        {
            Assert.Equal("Send-DataSnapBatch clientes", p.Activity);
            Assert.Matches(status, p.StatusDescription);
            Assert.InRange(p.PercentComplete, 0, 100);
        });
        // Real updates, not only the first one: a batch already sent and its bytes counted, a file named.
        Assert.Contains(processing, p => status.Match(p.StatusDescription) is { } m && int.Parse(m.Groups[1].Value) >= 1 && m.Groups[2].Value != "0");
        Assert.Contains(processing, p => p.CurrentOperation.StartsWith("clientes-0000", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, r.Progress[^1].RecordType);
    }

    [Theory]
    [InlineData("api/v1")]
    [InlineData("ftp://127.0.0.1/api")]
    [InlineData("file:///tmp/api")]
    public async Task A_bad_ApiUrl_is_InvalidArgument_before_anything_is_sent(string url)
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state", Vars(dir, e)).AssertNoErrors();
        var r = rs.Run($"Send-DataSnapBatch -Schema clientes -ApiUrl '{url}' -ApiKey $key -StatePath $state -Pending", Vars(dir, e));
        var error = Assert.Single(r.Errors);
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SendDataSnapBatchCommand", error.FullyQualifiedErrorId);
        Assert.Contains("absolute http or https URL", error.ToString());
        Assert.Empty(r.Output);
        Assert.Empty(e.Calls.Snapshot());
        // Still pending: a good URL sends it.
        Assert.Single(rs.Run($"{Send} -Pending", Vars(dir, e)).AssertNoErrors().Output);
    }

    [Fact]
    public async Task A_file_changed_after_export_is_refused_as_BatchCorrupt()
    {
        await using var e = await EmulatorAsync();
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var batch = rs.Run($"{Records} | Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state", Vars(dir, e)).AssertNoErrors().Single();
        File.AppendAllText((string)batch.Path, "x");
        var r = rs.Run($"{Send} -Pending", Vars(dir, e));
        var error = Assert.Single(r.Errors);
        Assert.Equal("BatchCorrupt,DataSyncPS.Cmdlets.SendDataSnapBatchCommand", error.FullyQualifiedErrorId);
        Assert.Contains("has changed since it was written", error.ToString());
        Assert.Equal(0, Convert.ToInt32(e.Stats()["uploads"]));
    }
}
