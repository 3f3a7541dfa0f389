using System.IO.Compression;
using System.Security.Cryptography;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// A process killed between steps of a batch's close leaves either a temporary file (killed before the
/// rename) or a batch file with no record and no watermark move (killed between rename and commit).
/// Both are simulated by placing such files before a rerun: the rerun removes the first, replaces the
/// second, and the outbox still holds every row exactly once.
/// </summary>
public abstract class InterruptedCommitTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task A_batch_renamed_but_never_committed_is_left_untouched_and_the_rerun_takes_the_next_name()
    {
        const string table = "it_crash";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 14);
        await ExportAsync(table, batchSize: 7);
        await Db.InsertRowsAsync(table, 15, 30);
        // What the killed run left: batch 3 in place (with rows 15..21 as they were then), and the
        // temporary file of batch 4 half written.
        var orphan = Path.Combine(OutputDirectory, $"{table}-000003.jsonl.gz");
        WriteBatchFile(orphan, Enumerable.Range(15, 7).Select(id => $$"""{"id":{{id}},"payload":"before the crash"}"""));
        var partial = Path.Combine(OutputDirectory, $"{table}-{Guid.NewGuid():N}.jsonl.gz.tmp");
        File.WriteAllBytes(partial, [0x1f, 0x8b, 8, 0, 0]);
        var observer = new RecordingObserver();

        var rerun = await ExportAsync(table, batchSize: 7, observer: observer);

        Assert.False(File.Exists(partial));
        Assert.Contains(observer.VerboseMessages, m => m.Contains("unfinished batch file"));
        // A batch file is created, never replaced (DESIGN contract 10): the orphan keeps its bytes, the
        // admin is told, and the rerun's batches take the next free names.
        Assert.Contains(observer.Warnings, m => m.Contains(orphan) && m.Contains("left untouched"));
        Assert.Contains("before the crash", string.Join("\n", BatchFiles.Lines(orphan)));
        Assert.Equal([4, 5, 6], rerun.Batches.Select(b => b.Sequence));
        var outbox = await OutboxAsync(table);
        Assert.DoesNotContain(outbox, b => b.Path == orphan);
        Assert.DoesNotContain(outbox.SelectMany(b => BatchFiles.Lines(b.Path)), line => line.Contains("before the crash"));
        AssertExactlyOnce(Range(1, 30), await OutboxIdsAsync(table));
        Assert.Empty(FilesInOutput("*.tmp"));
    }

    [Fact]
    public async Task Temporary_files_of_another_stream_in_the_same_folder_are_left_alone()
    {
        const string table = "it_crash_shared";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 5);
        // A stream whose name starts with this one's and a dash ("orders" and "orders-archive") may be
        // exporting into the same folder right now: its temporary file is not this stream's leftover.
        var others = new[]
        {
            Path.Combine(OutputDirectory, $"{table}-archive-{Guid.NewGuid():N}.jsonl.gz.tmp"),
            Path.Combine(OutputDirectory, $"{table}-{Guid.NewGuid():N}-{Guid.NewGuid():N}.jsonl.gz.tmp"),
        };
        var own = Path.Combine(OutputDirectory, $"{table}-{Guid.NewGuid():N}.jsonl.gz.tmp");
        Directory.CreateDirectory(OutputDirectory);
        foreach (var f in others.Append(own)) File.WriteAllBytes(f, [1, 2, 3]);

        await ExportAsync(table);

        Assert.All(others, f => Assert.True(File.Exists(f), $"{Path.GetFileName(f)} was deleted"));
        Assert.False(File.Exists(own));
        AssertExactlyOnce(Range(1, 5), await OutboxIdsAsync(table));
    }

    private static void WriteBatchFile(string path, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var w = new StreamWriter(gz);
        foreach (var line in lines) w.Write(line + "\n");
    }
}

public sealed class InterruptedCommitPostgreSqlTests() : InterruptedCommitTests(TestDatabase.PostgreSql);

public sealed class InterruptedCommitMariaDbTests() : InterruptedCommitTests(TestDatabase.MariaDb);
