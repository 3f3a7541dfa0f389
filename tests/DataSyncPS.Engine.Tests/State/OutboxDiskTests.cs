using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.State;

/// <summary>Output folders that cannot take a batch: a full disk, a read-only file system, a path that
/// is a file. Each is a specific error naming the path, nothing half-written stays, the watermark holds.</summary>
public sealed class OutboxDiskTests() : IncrementalTest(TestDatabase.PostgreSql)
{
    [Fact]
    public async Task A_full_disk_is_DiskFull_leaves_no_temporary_file_and_the_rerun_is_exactly_once()
    {
        const string table = "it_disk_full";
        await Db.CreateRowsTableAsync(table);
        // Random payloads do not compress: 400 rows of 1 KB are ~400 KB of gzip on a 256 KB disk.
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} SELECT g, timestamp '2024-01-01' + g * interval '1 second', " +
                              "(SELECT string_agg(md5(random()::text || g || s), '') FROM generate_series(1, 32) s) FROM generate_series(1, 400) g");
        using var disk = SmallDisk.Mount(Temp.Combine("small"), kilobytes: 256);
        var folder = Path.Combine(disk.Path, "out");

        var error = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 100, pageSize: 50, outputDirectory: folder, compression: System.IO.Compression.CompressionLevel.NoCompression));

        Assert.Equal(SyncErrorKind.DiskFull, error.Kind);
        Assert.Contains(disk.Path, error.Message);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        var committed = BatchesOnDisk(folder);
        Assert.True(committed.Count < 4);

        // On a disk with room, the rerun continues after the last committed batch: every row once.
        var bigger = Temp.Combine("bigger");
        Directory.CreateDirectory(bigger);
        foreach (var f in committed) File.Copy(f, Path.Combine(bigger, Path.GetFileName(f)));
        await ExportAsync(table, batchSize: 100, pageSize: 50, outputDirectory: bigger, compression: System.IO.Compression.CompressionLevel.NoCompression);
        var key = await StreamKeyAsync(table);
        using var state = new StateStore(StatePath);
        var ids = Ids(state.Batches(key).Select(b => Path.Combine(bigger, Path.GetFileName(b.Path))));
        AssertExactlyOnce(Range(1, 400), ids);
        Assert.Equal(RunStatus.Failed, state.Runs(key).Last().Status);
    }

    [Fact]
    public async Task A_read_only_folder_is_OutputNotWritable_and_nothing_changes()
    {
        const string table = "it_disk_ro";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 5);
        using var disk = SmallDisk.Mount(Temp.Combine("ro"), kilobytes: 64, readOnly: true);

        var error = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 2, pageSize: 50, outputDirectory: disk.Path, compression: System.IO.Compression.CompressionLevel.NoCompression));

        Assert.Equal(SyncErrorKind.OutputNotWritable, error.Kind);
        Assert.Contains(disk.Path, error.Message);
        Assert.DoesNotContain("another process", error.Message);
        Assert.Null(await WatermarkAsync(table));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_output_path_that_is_a_file_or_under_a_file_is_OutputNotWritable(bool under)
    {
        const string table = "it_disk_file";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 5);
        var file = Temp.Combine("a-file");
        File.WriteAllText(file, "not a folder");
        var folder = under ? Path.Combine(file, "out") : file;

        var error = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, batchSize: 2, pageSize: 50, outputDirectory: folder, compression: System.IO.Compression.CompressionLevel.NoCompression));

        Assert.Equal(SyncErrorKind.OutputNotWritable, error.Kind);
        Assert.Contains(folder, error.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    private static List<string> BatchesOnDisk(string folder) =>
        Directory.GetFiles(folder, "*.jsonl.gz").Order(StringComparer.Ordinal).ToList();
}
