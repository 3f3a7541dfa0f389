using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Incremental;

namespace DataSyncPS.Engine.Tests.State;

/// <summary>One exporter per stream, whatever folder each writes to: the lock lives with the state.</summary>
public sealed class StreamLockTests() : IncrementalTest(TestDatabase.PostgreSql)
{
    [Fact]
    public async Task A_second_export_of_a_running_stream_into_another_folder_is_StreamLocked()
    {
        const string table = "it_lock_folders";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 10);
        await ExportAsync(table); // the stream exists, with its canonical key
        var stream = await StreamAsync(table);

        using (var store = new StateStore(StatePath))
        using (store.LockStream(new StreamKey(stream.Source, stream.CanonicalName), table)) // what a running export holds
        {
            var other = Temp.Combine("other-out");
            var error = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, outputDirectory: other));
            Assert.Equal(SyncErrorKind.StreamLocked, error.Kind);
            Assert.Contains("another process", error.Message);
            Assert.False(Directory.Exists(other) && Directory.EnumerateFiles(other).Any());
        }
        await Db.InsertRowsAsync(table, 11, 12);
        var after = await ExportAsync(table, outputDirectory: Temp.Combine("other-out"));
        Assert.Equal(Range(11, 12), Ids(after));
    }

    [Fact]
    public async Task Different_streams_of_one_state_store_export_side_by_side()
    {
        await Db.CreateRowsTableAsync("it_lock_a");
        await Db.CreateRowsTableAsync("it_lock_b");
        await Db.InsertRowsAsync("it_lock_a", 1, 3);
        await Db.InsertRowsAsync("it_lock_b", 1, 3);
        await ExportAsync("it_lock_a");
        var a = await StreamAsync("it_lock_a");
        using var store = new StateStore(StatePath);
        using var held = store.LockStream(new StreamKey(a.Source, a.CanonicalName), "it_lock_a");
        var b = await ExportAsync("it_lock_b");
        Assert.Equal(Range(1, 3), Ids(b));
    }

    private async Task<SyncStreamState> StreamAsync(string table)
    {
        var key = await StreamKeyAsync(table);
        using var state = new StateStore(StatePath);
        return state.Streams().Single(s => s.StreamKey == key);
    }
}
