using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>
/// PostgreSQL exports read rows with binary COPY where every column's type allows it, and the data
/// reader otherwise. The two paths must write the same bytes: every supported type, NULLs, extremes,
/// text that needs escaping, full and incremental exports, keyset values of every supported type
/// written back as COPY literals.
/// </summary>
public sealed class PostgreSqlCopyPathTests() : IncrementalTest(TestDatabase.PostgreSql)
{
    private const string Columns = """
        id bigint PRIMARY KEY, b boolean, i2 smallint, i4 integer, f4 real, f8 double precision,
        n numeric(14,2), nx numeric, t text, vc varchar(20), c char(4), nm name, j json, jb jsonb, by bytea,
        u uuid, d date, ts timestamp(6), tz timestamptz(6)
        """;

    private const string Rows = """
        INSERT INTO it_copy_types VALUES
        (1, true, -32768, 2147483647, 0.1, -1.5e300, 10.50, 12345678901234567890.0123456789, 'plain', 'ação', 'ab', 'nome',
         '{"a": [1, 2.50, "x"]}', '{"b": {"c": null}, "a": 1}', '\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
         '2024-02-29', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02'),
        (2, false, 0, -1, 'NaN', 'Infinity', -0.01, 'NaN', E'quote " backslash \\ newline \n tab \t \u0001', '', '', '',
         '"just a string"', '[]', '', '00000000-0000-0000-0000-000000000000',
         'infinity', '-infinity', 'infinity'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (4, true, 7, 8, 3.4028235e38, 0, 0, '-0.000000000000000000000000000000123', '日本語 😀', 'x', 'abcd', 'n',
         'null', '1', '\x', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0001-01-01', '9999-12-31 23:59:59.999999', '2000-01-01 00:00:00+00')
        """;

    [Fact]
    public async Task A_full_export_writes_the_same_bytes_through_copy_and_the_data_reader()
    {
        const string table = "it_copy_types";
        await Db.RecreateAsync(table, Columns);
        await Db.ExecuteAsync(Rows);

        var (copy, copyLog) = await ExportLinesAsync(table, dataReaderOnly: false, incremental: false);
        var (reader, readerLog) = await ExportLinesAsync(table, dataReaderOnly: true, incremental: false);

        Assert.Contains(copyLog, m => m.StartsWith("SQL: COPY (SELECT", StringComparison.Ordinal) && m.EndsWith("TO STDOUT (FORMAT BINARY)", StringComparison.Ordinal));
        Assert.DoesNotContain(readerLog, m => m.Contains("COPY", StringComparison.Ordinal));
        Assert.Equal(4, copy.Count);
        Assert.Equal(reader, copy);
    }

    [Theory]
    [InlineData("ts", "timestamp(6)", "'2024-01-01 00:00:00'::timestamp + g * interval '1 microsecond'")]
    [InlineData("tz", "timestamptz(6)", "timestamptz '2024-01-01 00:00:00+00' + (g / 3) * interval '1 second'")]
    [InlineData("d", "date", "date '2024-01-01' + g / 4")]
    [InlineData("n", "numeric(20,4)", "g / 3.0")]
    [InlineData("t", "text", "'k$k$' || lpad((g / 2)::text, 5, '0') || '$'")]
    [InlineData("u", "uuid", "md5(g::text)::uuid")]
    [InlineData("i2", "smallint", "(g / 2)::smallint")]
    [InlineData("f8", "double precision", "g / 7.0")]
    public async Task Incremental_pages_walk_every_cursor_type_with_literals_and_match_the_data_reader(string cursor, string type, string expression)
    {
        var table = "it_copy_keyset_" + cursor;
        await Db.RecreateAsync(table, $"id integer PRIMARY KEY, {cursor} {type} NOT NULL, payload text");
        await Db.ExecuteAsync($"INSERT INTO {table} SELECT g, {expression}, 'row ' || g FROM generate_series(1, 40) g");

        var (copy, log) = await ExportLinesAsync(table, dataReaderOnly: false, incremental: true, cursor: cursor);
        var (reader, _) = await ExportLinesAsync(table, dataReaderOnly: true, incremental: true, cursor: cursor);

        Assert.Contains(log, m => m.StartsWith("SQL: COPY (SELECT", StringComparison.Ordinal) && m.Contains(" > ("));
        Assert.Equal(40, copy.Count);
        Assert.Equal(reader, copy);
    }

    [Fact]
    public async Task A_column_of_another_type_reads_every_row_through_the_data_reader()
    {
        const string table = "it_copy_fallback";
        await Db.RecreateAsync(table, "id integer PRIMARY KEY, addr inet, span interval");
        await Db.ExecuteAsync($"INSERT INTO {table} VALUES (1, '10.0.0.1', '1 day 2 hours')");

        var (lines, log) = await ExportLinesAsync(table, dataReaderOnly: false, incremental: false);

        Assert.Contains(log, m => m.Contains("'addr' is inet: rows are read through the data reader"));
        Assert.DoesNotContain(log, m => m.StartsWith("SQL: COPY", StringComparison.Ordinal));
        Assert.Equal("""{"id":1,"addr":"10.0.0.1","span":"P1DT2H"}""", Assert.Single(lines));
    }

    /// <summary>Exports into a folder and state of its own; the rows' JSON lines, in order, and the verbose log.</summary>
    private async Task<(List<string> Lines, List<string> Log)> ExportLinesAsync(string table, bool dataReaderOnly, bool incremental, string? cursor = null)
    {
        using var dir = new TempDirectory();
        var observer = new RecordingObserver();
        await SqlExporter.RunAsync(new ExportRequest
        {
            Source = await Db.ConnectAsync(Ct),
            Table = table,
            OutputDirectory = dir.Combine("out"),
            StatePath = dir.Combine("state.db"),
            Incremental = incremental,
            CursorColumn = cursor,
            BatchSize = 7,
            PageSize = 5,
            DataReaderOnly = dataReaderOnly,
        }, observer, new ExportProgress(), Ct);
        var lines = observer.Batches.OrderBy(b => b.Sequence).SelectMany(b => BatchFiles.Lines(b.Path)).ToList();
        return (lines, [.. observer.VerboseMessages]);
    }
}
