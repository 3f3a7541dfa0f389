using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Outbox;

/// <summary>Where batches are recorded: the outbox must be found again from anywhere.</summary>
public class BatchFolderTests
{
    [Fact]
    public async Task A_relative_output_folder_is_recorded_as_an_absolute_path()
    {
        using var dir = new TempDirectory();
        var before = Environment.CurrentDirectory;
        Environment.CurrentDirectory = dir.Path;
        try
        {
            var observer = new RecordingObserver();
            await using (var exporter = RecordExporter.Start(new DataSyncPS.Engine.Batches.BatchOptions { OutputDirectory = "relative-out", Stream = "s" },
                               "state.db", observer, new ExportProgress(), CancellationToken.None))
            {
                exporter.Write([new("id", 1)]);
                await exporter.CompleteAsync();
            }
            var batch = Assert.Single(observer.Batches);
            Assert.True(Path.IsPathRooted(batch.Path));
            Assert.Equal(Path.Combine(dir.Path, "relative-out", "s-000001.jsonl.gz"), batch.Path);
            Assert.True(File.Exists(batch.Path));
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
    }
}
