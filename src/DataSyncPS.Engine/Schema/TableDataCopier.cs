using System.Data.Common;
using System.Diagnostics;
using DataSyncPS.Engine.Sources;
using MySqlConnector;
using Npgsql;

namespace DataSyncPS.Engine.Schema;

/// <summary>Copies one table's rows page by page in key order: each page is bounded by keys read first
/// (never OFFSET, which rereads every skipped row), then streamed into the target's bulk load —
/// PostgreSQL binary COPY straight from the source's binary COPY, MySqlBulkCopy from a data reader.
/// Generated columns are left to the target to compute.</summary>
internal sealed class TableDataCopier
{
    private readonly SqlDialect _dialect;
    private readonly DbTable _table;
    private readonly int _pageSize;
    private readonly List<string> _columns;
    private readonly List<string> _key;

    public TableDataCopier(SqlDialect dialect, DbTable table, int pageSize)
    {
        _dialect = dialect;
        _table = table;
        _pageSize = pageSize;
        _columns = table.Columns.Where(c => !c.IsGenerated).Select(c => c.Name).ToList();
        _key = table.PrimaryKey?.Columns.ToList() ?? [];
    }

    private string Q(string name) => _dialect.QuoteIdentifier(name);
    private string Table => _dialect.QuoteTable(_table.TableName);
    private string ColumnList => string.Join(", ", _columns.Select(Q));
    private string KeyList(string suffix = "") => string.Join(", ", _key.Select(k => Q(k) + suffix));

    /// <summary>Copies every row; returns how many. The target table is expected empty.</summary>
    public async Task<long> CopyAsync(DbConnection source, DbConnection target, Action<long> progress, CancellationToken ct)
    {
        if (_key.Count == 0)
        {
            // No key to page by: one streamed read (still no OFFSET), one load.
            var all = await LoadPageAsync(source, target, $"SELECT {ColumnList} FROM {Table}", [], ct).ConfigureAwait(false);
            progress(all);
            return all;
        }
        object?[]? last = null;
        long copied = 0;
        while (true)
        {
            var (pageEnd, rows) = await PageEndAsync(source, last, ct).ConfigureAwait(false);
            if (rows == 0) break;
            var where = new List<string>();
            var args = new List<object?>();
            var quoted = _key.Select(Q).ToList();
            if (last is not null)
            {
                where.Add(_dialect.KeysetPredicate(quoted, 0));
                args.AddRange(last);
            }
            where.Add("NOT (" + _dialect.KeysetPredicate(quoted, args.Count) + ")");
            args.AddRange(pageEnd);
            var select = $"SELECT {ColumnList} FROM {Table} WHERE {string.Join(" AND ", where)} ORDER BY {KeyList()}";
            var loaded = await LoadPageAsync(source, target, select, args, ct).ConfigureAwait(false);
            if (loaded != rows)
                throw new SyncException(SyncErrorKind.QueryFailed, $"The page of {_table} ending at key ({string.Join(", ", pageEnd)}) had {rows} rows but {loaded} were loaded.");
            copied += loaded;
            progress(copied);
            last = pageEnd;
            if (rows < _pageSize) break;
        }
        return copied;
    }

    /// <summary>The last key of the next page and its row count, worked out on the server from the key index.</summary>
    private async Task<(object?[] End, long Rows)> PageEndAsync(DbConnection source, object?[]? after, CancellationToken ct)
    {
        var keys = KeyList();
        var where = after is null ? "" : " WHERE " + _dialect.KeysetPredicate(_key.Select(Q).ToList(), 0);
        var aliases = string.Join(", ", _key.Select((_, i) => "k" + i));
        var inner = $"SELECT {string.Join(", ", _key.Select((k, i) => Q(k) + " AS k" + i))} FROM {Table}{where} ORDER BY {keys} LIMIT {_pageSize}";
        var sql = $"SELECT {aliases}, n FROM (SELECT {aliases}, ROW_NUMBER() OVER (ORDER BY {aliases}) AS n FROM ({inner}) p) q ORDER BY n DESC LIMIT 1";
        await using var cmd = source.CreateCommand();
        cmd.CommandText = sql;
        if (after is not null) for (var i = 0; i < after.Length; i++) _dialect.AddParameter(cmd, i, after[i]);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return ([], 0);
        var end = new object?[_key.Count];
        for (var i = 0; i < end.Length; i++) end[i] = r.GetValue(i);
        return (end, Convert.ToInt64(r.GetValue(_key.Count)));
    }

    private async Task<long> LoadPageAsync(DbConnection source, DbConnection target, string select, List<object?> args, CancellationToken ct)
    {
        if (source is NpgsqlConnection pgSource && target is NpgsqlConnection pgTarget)
        {
            // COPY (query) cannot take parameters: the page's bounds go in as literals of their own type.
            var text = select;
            for (var i = args.Count - 1; i >= 0; i--) text = text.Replace(_dialect.ParameterName(i), PgLiteral(args[i]));
            long rows = 0;
            await using (var reader = await pgSource.BeginRawBinaryCopyAsync($"COPY ({text}) TO STDOUT (FORMAT BINARY)", ct).ConfigureAwait(false))
            await using (var writer = await pgTarget.BeginRawBinaryCopyAsync($"COPY {Table} ({ColumnList}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
                rows = await CopyCountingAsync(reader, writer, ct).ConfigureAwait(false);
            return rows;
        }
        if (target is MySqlConnection myTarget)
        {
            await using var cmd = source.CreateCommand();
            cmd.CommandText = select;
            for (var i = 0; i < args.Count; i++) _dialect.AddParameter(cmd, i, args[i]);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var bulk = new MySqlBulkCopy(myTarget) { DestinationTableName = Table, BulkCopyTimeout = 0 };
            // Names as they are: MySqlBulkCopy quotes them itself.
            for (var i = 0; i < _columns.Count; i++) bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, _columns[i]));
            var result = await bulk.WriteToServerAsync(reader, ct).ConfigureAwait(false);
            if (result.Warnings.Count > 0)
                throw new SyncException(SyncErrorKind.QueryFailed,
                    $"Loading {_table} gave warnings (values changed on the way): {string.Join("; ", result.Warnings.Take(3).Select(w => w.Message))}");
            return result.RowsInserted;
        }
        throw new SyncException(SyncErrorKind.InvalidArgument, "Data can be copied between two PostgreSQL or two MySQL/MariaDB databases.");
    }

    private static string PgLiteral(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => "'" + s.Replace("'", "''") + "'",
        DateTime d => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture) + "'",
        DateTimeOffset d => "'" + d.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", System.Globalization.CultureInfo.InvariantCulture) + "'",
        Guid g => "'" + g + "'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => "'" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!.Replace("'", "''") + "'",
    };

    /// <summary>Copies the binary COPY stream as it is and counts its tuples (each starts with a 16-bit field
    /// count; the trailer is -1), so the page's row count is checked without decoding a value.</summary>
    private static async Task<long> CopyCountingAsync(Stream from, Stream to, CancellationToken ct)
    {
        var counter = new BinaryCopyTupleCounter();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            counter.Feed(buffer.AsSpan(0, n));
            await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        return counter.Tuples;
    }
}
