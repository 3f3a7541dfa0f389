using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Module.Tests;

/// <summary>Get-SyncState, Reset-SyncState and Clear-SyncHistory: "what has been sent and what is
/// waiting?" answered, and the state kept small, without opening SQLite.</summary>
public class SyncStateTests
{
    private const string Connect = ExportSyncBatchTests.Connect;

    private static Dictionary<string, object?> Vars(TempDirectory dir) => ExportSyncBatchTests.Vars(dir);

    private static string CreateTable(int rows)
    {
        var table = "ms_" + Guid.NewGuid().ToString("N")[..10];
        ModuleServers.PostgreSql($"""
            CREATE TABLE {table} (id int PRIMARY KEY, atualizado timestamp NOT NULL);
            INSERT INTO {table} SELECT g, timestamp '2024-01-01' + g * interval '1 minute' FROM generate_series(1, {rows}) g;
            """);
        return table;
    }

    private static string Export(string table) =>
        $"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state -Incremental -CursorColumn atualizado -BatchSize 10";

    [Fact]
    public void Get_SyncState_shows_the_watermark_the_outbox_and_the_last_run()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(25);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run(Export(table), Vars(dir)).AssertNoErrors();

        var r = rs.Run("Get-SyncState -StatePath $state", Vars(dir)).AssertNoErrors();
        var s = r.Single();
        Assert.Equal(table, (string)s.Stream);
        Assert.Equal($"public.{table}", (string)s.CanonicalName);
        Assert.Equal(3L, (long)s.PendingBatches);
        Assert.Equal(25L, (long)s.PendingRows);
        Assert.True((long)s.PendingBytes > 0);
        Assert.Equal(0L, (long)s.ConfirmedBatches);
        Assert.Equal(4L, (long)s.NextSequence);
        Assert.Equal("Succeeded", s.LastRunStatus.ToString());
        Assert.Equal(25L, (long)s.LastRunRows);
        Assert.Contains("2024-01-01 00:25:00", (string)s.Watermark);
        Assert.Equal("DataSyncPS.SyncStreamState", r.Output[0].TypeNames[0]);

        Assert.Single(rs.Run($"Get-SyncState {table[..5]}* -StatePath $state", Vars(dir)).AssertNoErrors().Output);
        var missing = rs.Run("Get-SyncState no_such_stream -StatePath $state", Vars(dir));
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.GetSyncStateCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_SyncState_of_a_store_that_does_not_exist_creates_nothing()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("Get-SyncState -StatePath $state", Vars(dir));
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.GetSyncStateCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.False(File.Exists(dir.Combine("state.db")));
    }

    [Fact]
    public void Reset_SyncState_starts_a_stream_over_and_honours_WhatIf()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(12);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run(Export(table), Vars(dir)).AssertNoErrors();

        Assert.Empty(rs.Run($"Reset-SyncState {table} -StatePath $state -WhatIf", Vars(dir)).AssertNoErrors().Output);
        Assert.Empty(rs.Run(Export(table), Vars(dir)).AssertNoErrors().Output); // the watermark held

        var reset = rs.Run($"Get-SyncState {table} -StatePath $state | Reset-SyncState -Confirm:$false -PassThru", Vars(dir)).AssertNoErrors();
        Assert.Null(reset.Single().Watermark);
        var again = rs.Run(Export(table), Vars(dir)).AssertNoErrors();
        Assert.Equal(12L, again.Output.Sum(o => (long)((dynamic)o).Rows));
        Assert.Equal([3L, 4L], again.Output.Select(o => (long)((dynamic)o).Sequence)); // sequences keep growing
    }

    [Fact]
    public void Reset_SyncState_of_a_stream_being_exported_is_StreamLocked()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(3);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run(Export(table), Vars(dir)).AssertNoErrors();
        var lockFile = Assert.Single(Directory.GetFiles(dir.Combine("state.db.locks"), "*.lock"));
        using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var r = rs.Run($"Reset-SyncState {table} -StatePath $state -Confirm:$false", Vars(dir));
            Assert.Equal("StreamLocked,DataSyncPS.Cmdlets.ResetSyncStateCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        }
        Assert.NotNull(rs.Run("Get-SyncState -StatePath $state", Vars(dir)).Single().Watermark);
    }

    [Fact]
    public void Clear_SyncHistory_prunes_old_confirmed_records_and_runs_but_keeps_sequences()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(25);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run(Export(table), Vars(dir)).AssertNoErrors();
        rs.Run(Export(table), Vars(dir)).AssertNoErrors();
        // What a sender and 60 days of runs leave: batches 1 and 2 confirmed long ago, batch 3 still waiting.
        Sql(dir, """
            UPDATE batches SET status = 'Confirmed', confirmed_at = '2020-01-01T00:00:00.0000000+00:00' WHERE sequence <= 2;
            UPDATE runs SET started_at = '2020-01-01T00:00:00.0000000+00:00', ended_at = '2020-01-01T00:00:01.0000000+00:00';
            """);

        Assert.Empty(rs.Run("Clear-SyncHistory -StatePath $state -WhatIf", Vars(dir)).AssertNoErrors().Output);
        Assert.Equal(2L, Convert.ToInt64(Sql(dir, "SELECT count(*) FROM batches WHERE status = 'Confirmed'")));

        var r = rs.Run("Clear-SyncHistory -OlderThanDays 30 -StatePath $state -Confirm:$false -Verbose", Vars(dir)).AssertNoErrors();
        Assert.Contains(r.Verbose, v => v.Contains("Removed 2 confirmed batch record(s) and 1 run(s)"));
        var s = rs.Run("Get-SyncState -StatePath $state", Vars(dir)).Single();
        Assert.Equal(0L, (long)s.ConfirmedBatches);
        Assert.Equal(1L, (long)s.PendingBatches);
        Assert.Equal(4L, (long)s.NextSequence);
        Assert.NotNull(s.LastRunStatus); // each stream's last run stays

        ModuleServers.PostgreSql($"INSERT INTO {table} VALUES (26, timestamp '2024-02-01')");
        Assert.Equal(4L, (long)rs.Run(Export(table), Vars(dir)).AssertNoErrors().Single().Sequence);
    }

    [Fact]
    public void Stream_names_complete_from_the_state_store()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(2);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run(Export(table), Vars(dir)).AssertNoErrors();
        var input = $"Get-SyncState -StatePath '{dir.Combine("state.db")}' -Stream {table[..6]}";
        var r = rs.Run("(TabExpansion2 -inputScript $i -cursorColumn $i.Length).CompletionMatches.CompletionText", new() { ["i"] = input }).AssertNoErrors();
        Assert.Contains(table, r.Output.Select(o => o.ToString()));
    }

    private static object? Sql(TempDirectory dir, string sql)
    {
        using var c = new SqliteConnection($"Data Source={dir.Combine("state.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
