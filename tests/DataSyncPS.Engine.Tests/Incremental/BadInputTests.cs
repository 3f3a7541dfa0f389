using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Incremental;

/// <summary>
/// Contract 7 for incremental exports: unknown tables and columns and hostile identifiers fail with a
/// clear error naming the input before anything is written; identifiers never reach SQL unquoted, and
/// a stream name cannot place files outside the output folder.
/// </summary>
public abstract class BadInputTests(TestDatabase db) : IncrementalTest(db)
{
    private const string Victim = "it_victim";
    private const string Hostile = "x\"; DROP TABLE it_victim; --";
    private const string HostileBacktick = "x`; DROP TABLE it_victim; --";

    [Fact]
    public async Task An_unknown_table_is_TableNotFound_naming_it()
    {
        var ex = await Assert.ThrowsAsync<SyncException>(() => ExportAsync("it_no_such_table"));

        Assert.Equal(SyncErrorKind.TableNotFound, ex.Kind);
        Assert.Contains("it_no_such_table", ex.Message);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData("no_such_column", null)]
    [InlineData("updated_at", "no_such_key")]
    public async Task An_unknown_cursor_or_key_column_is_ColumnNotFound_naming_it(string cursor, string? key)
    {
        const string table = "it_bad_column";
        await Db.CreateRowsTableAsync(table);

        var ex = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, cursorColumn: cursor, keyColumns: key is null ? null : [key]));

        Assert.Equal(SyncErrorKind.ColumnNotFound, ex.Kind);
        Assert.Contains(key ?? cursor, ex.Message);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData(Hostile, "updated_at", null)]
    [InlineData(HostileBacktick, "updated_at", null)]
    [InlineData("\"it_victim\"; DROP TABLE it_victim; --", "updated_at", null)]
    [InlineData(Victim, Hostile, null)]
    [InlineData(Victim, HostileBacktick, null)]
    [InlineData(Victim, "updated_at", Hostile)]
    [InlineData(Victim, "updated_at", HostileBacktick)]
    public async Task Hostile_identifiers_fail_cleanly_and_run_no_SQL(string table, string cursor, string? key)
    {
        await CreateVictimAsync();

        var ex = await Assert.ThrowsAsync<SyncException>(() => ExportAsync(table, cursorColumn: cursor, keyColumns: key is null ? null : [key]));

        Assert.Contains(ex.Kind, new[] { SyncErrorKind.TableNotFound, SyncErrorKind.ColumnNotFound, SyncErrorKind.IdentifierInvalid });
        Assert.Contains(key ?? (cursor != "updated_at" ? cursor : table), ex.Message); // the error names the bad input
        Assert.True(await Db.TableExistsAsync(Victim), $"{Victim} was dropped");
        AssertNothingWritten();
    }

    [Fact]
    public async Task A_table_and_columns_with_hostile_names_are_exported_by_quoting_them()
    {
        const string table = "it_evil\"; DROP TABLE it_victim; --";
        const string cursor = "at\"; DROP TABLE it_victim; --";
        const string key = "id`; DROP TABLE it_victim; --";
        await CreateVictimAsync();
        await Db.RecreateAsync(table, $"{Db.Quote(key)} integer NOT NULL PRIMARY KEY, {Db.Quote(cursor)} {Db.TimestampType} NOT NULL");
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(table)} ({Db.Quote(key)}, {Db.Quote(cursor)}) VALUES (1, @p0), (2, @p0), (3, @p0), (4, @p1)",
            TestDatabase.BaseTime, TestDatabase.BaseTime.AddSeconds(1));

        var run = await ExportAsync(table, batchSize: 2, pageSize: 1, cursorColumn: cursor);

        var ids = run.Batches.OrderBy(b => b.Sequence).SelectMany(b => Infrastructure.BatchFiles.Rows(b.Path)).Select(r => r.GetProperty(key).GetInt64());
        AssertExactlyOnce(Range(1, 4), ids);
        Assert.True(await Db.TableExistsAsync(Victim));
        Assert.All(run.Batches, b => Assert.Equal(OutputDirectory, Path.GetDirectoryName(b.Path)));
    }

    [Theory]
    [InlineData("../../it_escape")]
    [InlineData("..")]
    [InlineData("/tmp/it_escape")]
    [InlineData("..\\..\\it_escape")]
    [InlineData("sub/../../../it_escape")]
    public async Task A_stream_name_cannot_write_outside_the_output_folder(string stream)
    {
        const string table = "it_bad_stream";
        await Db.CreateRowsTableAsync(table);
        await Db.InsertRowsAsync(table, 1, 5);
        var outside = Directory.GetFileSystemEntries(Path.GetDirectoryName(Temp.Path)!).ToHashSet();

        var run = await ExportAsync(table, batchSize: 2, stream: stream);

        AssertExactlyOnce(Range(1, 5), Ids(run));
        Assert.All(run.Batches, b => Assert.Equal(OutputDirectory, Path.GetDirectoryName(Path.GetFullPath(b.Path))));
        var written = Directory.GetFileSystemEntries(Temp.Path, "*", SearchOption.AllDirectories)
            // The state store and its stream locks (named by hash, in state.db.locks/) are not the stream's to name.
            .Where(f => f != OutputDirectory && !Path.GetRelativePath(Temp.Path, f).StartsWith("state.db", StringComparison.Ordinal));
        Assert.All(written, f => Assert.Equal(OutputDirectory, Path.GetDirectoryName(f)));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.GetDirectoryName(Temp.Path)!).Except(outside), f => f.Contains("it_escape"));
        Assert.False(File.Exists("/tmp/it_escape-000001.jsonl.gz"));
    }

    private Task CreateVictimAsync() => Db.CreateRowsTableAsync(Victim);

    /// <summary>Failed before the batch run started: no batch or temporary file, no state store.</summary>
    private void AssertNothingWritten()
    {
        Assert.Empty(FilesInOutput());
        Assert.False(File.Exists(StatePath), "the state store was created or changed");
    }
}

public sealed class BadInputPostgreSqlTests() : BadInputTests(TestDatabase.PostgreSql);

public sealed class BadInputMariaDbTests() : BadInputTests(TestDatabase.MariaDb);
