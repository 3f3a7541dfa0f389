using System.Security.Cryptography;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// Batch files are named after the stream, so two streams can want the same file names in one folder:
/// the same table of two sources (or of one server reached by two names), or stream names that differ
/// only in characters a file name cannot hold. Neither may overwrite a batch the other has recorded.
/// </summary>
public abstract class SharedFolderTests(TestDatabase db) : IncrementalTest(db)
{
    [Fact]
    public async Task The_same_table_of_two_sources_in_one_folder_keeps_both_outboxes_whole()
    {
        const string table = "it_shared_table";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 20);
        var first = await Db.ConnectAsync(Ct);
        var second = await Db.ConnectAsync(Ct, server: "localhost"); // another identity, so another stream key
        Assert.NotEqual(first.Identity, second.Identity);

        await ExportAsync(table, batchSize: 7, source: first);
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = 'changed'"); // other bytes, other hashes
        await ExportAsync(table, batchSize: 7, source: second);
        await Db.InsertRowsAsync(table, 21, 25);
        await ExportAsync(table, batchSize: 7, source: first);

        foreach (var source in new[] { first, second })
        {
            var outbox = await OutboxAsync(table, source);
            Assert.All(outbox, AssertIntact);
            AssertExactlyOnce(Range(1, source == first ? 25 : 20), await OutboxIdsAsync(table, source));
        }
        AssertDistinctFiles();
    }

    [Fact]
    public async Task Stream_names_that_make_the_same_file_names_keep_both_outboxes_whole()
    {
        const string table = "it_shared_stream";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 10);

        await ExportAsync(table, batchSize: 4, stream: "it_shared/x");
        await Db.ExecuteAsync($"UPDATE {Db.Quote(table)} SET payload = 'changed'");
        await ExportAsync(table, batchSize: 4, stream: "it_shared_x");

        foreach (var stream in new[] { "it_shared/x", "it_shared_x" })
        {
            Assert.All(await OutboxAsync(stream), AssertIntact);
            AssertExactlyOnce(Range(1, 10), await OutboxIdsAsync(stream));
        }
        AssertDistinctFiles();
    }

    private static void AssertIntact(BatchRecord b) =>
        Assert.Equal(b.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(b.Path))));

    /// <summary>No two batch records of the state store point at one file.</summary>
    private void AssertDistinctFiles()
    {
        using var state = new StateStore(StatePath);
        var paths = state.PendingBatches().Select(b => b.Path).ToList();
        Assert.Equal(paths.Count, paths.Distinct().Count());
    }
}

public sealed class SharedFolderPostgreSqlTests() : SharedFolderTests(TestDatabase.PostgreSql);

public sealed class SharedFolderMariaDbTests() : SharedFolderTests(TestDatabase.MariaDb);
