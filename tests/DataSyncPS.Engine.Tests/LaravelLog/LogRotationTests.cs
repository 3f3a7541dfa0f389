using System.Text;
using DataSyncPS.Engine.Sources.LaravelLog;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>Resuming by file identity and offset while files are renamed, replaced, truncated and
/// added: every entry is read once.</summary>
public sealed class LogRotationTests
{
    [Fact]
    public void Position_round_trips_through_its_json()
    {
        var position = new LogPosition([
            new LogFileMark("laravel-2024-01-01.log", new LogFileIdentity("00ff", 256), 1234, 56),
            new LogFileMark("laravel.log", new LogFileIdentity("abcd", 40), 40, 2),
        ]);
        var back = LogPosition.Parse(position.Serialize());

        Assert.Equal(position.Files, back.Files);
        Assert.Same(LogPosition.Empty, LogPosition.Parse(null));
        Assert.Throws<SyncException>(() => LogPosition.Parse("[{\"t\":\"i8\",\"v\":\"5\"}]"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_renamed_file_continues_from_its_offset_and_the_new_one_starts_at_zero(bool folderSource)
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entries(1, 3));
        var source = folderSource ? dir.Path : log;
        var first = LogReadResult.Of(source);

        LogText.Append(log, LogText.Entries(4, 2));
        File.Move(log, dir.Combine("laravel-2024-01-01.log"));
        LogText.Write(log, LogText.Entries(6, 2));
        var second = LogReadResult.Of(source, first.Position);

        Assert.Equal([1, 2, 3], Numbers(first));
        Assert.Equal([4, 5, 6, 7], Numbers(second));
        Assert.Equal(["laravel-2024-01-01.log", "laravel-2024-01-01.log", "laravel.log", "laravel.log"], second.Entries.Select(e => e.File));
        Assert.Contains(second.Notes, n => n.Contains("'laravel.log' is now 'laravel-2024-01-01.log'", StringComparison.Ordinal));
        Assert.Empty(LogReadResult.Of(source, second.Position).Entries);
    }

    [Fact]
    public void A_file_replaced_under_the_same_name_is_read_from_the_start_even_when_longer()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entries(1, 2));
        var first = LogReadResult.Of(log);

        LogText.Write(log, LogText.Entries(10, 5)); // another file: deleted and recreated, longer than the offset
        var second = LogReadResult.Of(log, first.Position);

        Assert.Equal([10, 11, 12, 13, 14], Numbers(second));
        Assert.Contains(second.Notes, n => n.Contains("replaced or truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_file_is_read_from_the_start()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entries(1, 5));
        var first = LogReadResult.Of(log);

        using (var f = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) f.SetLength(0);
        LogText.Append(log, LogText.Entry(1)); // same first bytes as before, but shorter than the offset
        var second = LogReadResult.Of(log, first.Position);

        Assert.Equal([1], Numbers(second));
    }

    [Fact]
    public void Copytruncate_rotation_reads_the_copy_from_the_old_offset_and_the_truncated_file_from_zero()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entries(1, 3));
        var first = LogReadResult.Of(dir.Path);

        LogText.Append(log, LogText.Entries(4, 2));
        File.Copy(log, dir.Combine("laravel.log.1"));
        using (var f = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) f.SetLength(0);
        LogText.Append(log, LogText.Entries(6, 1));
        var second = LogReadResult.Of(dir.Path, first.Position);

        Assert.Equal([4, 5, 6], Numbers(second));
        Assert.Equal("laravel.log.1", second.Entries[0].File);
    }

    [Fact]
    public void Daily_files_are_read_in_date_order_then_laravel_log_and_other_files_are_ignored()
    {
        using var dir = new TempDirectory();
        LogText.Write(dir.Combine("laravel.log"), LogText.Entries(7, 1));
        LogText.Write(dir.Combine("laravel-2024-01-10.log"), LogText.Entries(5, 2));
        LogText.Write(dir.Combine("laravel-2023-12-31.log"), LogText.Entries(1, 2));
        LogText.Write(dir.Combine("laravel-2024-01-02.log"), LogText.Entries(3, 2));
        LogText.Write(dir.Combine("worker.log"), LogText.Entries(100, 1));
        LogText.Write(dir.Combine("laravel-old.log.gz"), "not a log");
        File.WriteAllBytes(dir.Combine("laravel-2024-01-11.log"), []); // empty: nothing to read yet

        var read = LogReadResult.Of(dir.Path);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], Numbers(read));
        Assert.Empty(read.Errors);
        Assert.Equal(["laravel-2023-12-31.log", "laravel-2024-01-02.log", "laravel-2024-01-10.log", "laravel.log"],
            read.Position.Files.Select(f => f.Name));
    }

    [Fact]
    public void Resuming_a_daily_folder_reads_only_what_was_added_and_forgets_deleted_files()
    {
        using var dir = new TempDirectory();
        LogText.Write(dir.Combine("laravel-2024-01-01.log"), LogText.Entries(1, 2));
        LogText.Write(dir.Combine("laravel-2024-01-02.log"), LogText.Entries(3, 2));
        var first = LogReadResult.Of(dir.Path);

        LogText.Append(dir.Combine("laravel-2024-01-02.log"), LogText.Entries(5, 1));
        LogText.Write(dir.Combine("laravel-2024-01-03.log"), LogText.Entries(6, 2));
        File.Delete(dir.Combine("laravel-2024-01-01.log"));
        var second = LogReadResult.Of(dir.Path, first.Position);

        Assert.Equal([5, 6, 7], Numbers(second));
        Assert.Equal(["laravel-2024-01-02.log", "laravel-2024-01-03.log"], second.Position.Files.Select(f => f.Name));
        Assert.Contains(second.Notes, n => n.Contains("'laravel-2024-01-01.log' is gone", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_shorter_than_the_identity_prefix_is_still_recognised_once_it_grows()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entry(1));
        var first = LogReadResult.Of(log);
        Assert.True(first.Position.Files[0].Identity.Length < LogFileIdentity.PrefixBytes);

        LogText.Append(log, LogText.Entries(2, 10));
        var second = LogReadResult.Of(log, first.Position);

        Assert.Equal(Enumerable.Range(2, 10), Numbers(second));
        Assert.Equal(LogFileIdentity.PrefixBytes, second.Position.Files[0].Identity.Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(LogText.Entries(1, 11)), second.Position.Files[0].Offset);
    }

    [Fact]
    public void Each_entry_carries_the_position_after_it_so_a_resume_from_any_entry_reads_the_rest()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("laravel.log");
        LogText.Write(log, LogText.Entries(1, 3));
        File.Move(log, dir.Combine("laravel-2024-01-01.log"));
        LogText.Write(log, LogText.Entries(4, 3));
        var all = LogReadResult.Of(dir.Path);

        for (var i = 0; i < all.Entries.Count; i++)
        {
            var rest = LogReadResult.Of(dir.Path, all.After[i].ToPosition());
            Assert.Equal(Numbers(all).Skip(i + 1), Numbers(rest));
        }
    }

    private static List<int> Numbers(LogReadResult read) =>
        read.Entries.Select(e => e.Context!.Value.GetProperty("n").GetInt32()).ToList();
}
