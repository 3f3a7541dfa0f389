using System.Data.Common;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Copies the rows of one key range of a table page by page in key order: each page is bounded
/// by keys read first (never OFFSET, which rereads every skipped row), then streamed into the target's
/// bulk load (<see cref="PageLoader"/>). A page the target refuses as too large is tried again with half
/// the rows, and the smaller size is kept for the rest of the range. Generated columns are left to the
/// target to compute.</summary>
internal sealed class TableDataCopier
{
    private readonly SqlDialect _dialect;
    private readonly DbTable _table;
    private readonly List<string> _key;
    private readonly ISyncObserver _observer;
    private int _pageSize;

    public TableDataCopier(SqlDialect dialect, DbTable table, int pageSize, ISyncObserver observer)
    {
        _dialect = dialect;
        _table = table;
        _pageSize = pageSize;
        _observer = observer;
        Columns = table.Columns.Where(c => !c.IsGenerated && !(dialect.Kind == ProviderKind.SqlServer && SqlServerPageLoader.ServerAssigned(c)))
            .Select(c => c.Name).ToList();
        _key = table.PrimaryKey?.Columns.ToList() ?? [];
    }

    /// <summary>The columns copied, as the catalog names them.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The table, quoted.</summary>
    public string Table => _dialect.QuoteTable(_table.TableName);

    /// <summary>Rows per page now: less than asked once a page was refused as too large.</summary>
    public int PageSize => _pageSize;

    private string Q(string name) => _dialect.QuoteIdentifier(name);
    private string ColumnList => string.Join(", ", Columns.Select(Q));
    private List<string> QuotedKey => _key.Select(Q).ToList();

    /// <summary>Copies the rows of <paramref name="range"/>; returns how many. <paramref name="progress"/>
    /// gets the rows of each page as it is loaded.</summary>
    public async Task<long> CopyAsync(DbConnection source, PageLoader target, KeyRange range, Action<long> progress, CancellationToken ct)
    {
        if (_key.Count == 0)
        {
            // No key to page by: one streamed read (still no OFFSET), one load.
            var all = await target.LoadAsync(source, $"SELECT {ColumnList} FROM {Table}", [], ct).ConfigureAwait(false);
            progress(all);
            return all;
        }
        var after = range.Lower;
        long copied = 0;
        while (true)
        {
            var (pageEnd, rows) = await PageEndAsync(source, new KeyRange(range.Index, after, range.Upper), ct).ConfigureAwait(false);
            if (rows == 0) break;
            var page = new KeyRange(range.Index, after, pageEnd);
            long loaded;
            try
            {
                loaded = await LoadAsync(source, target, page, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (target.IsTooLarge(ex) && !ct.IsCancellationRequested)
            {
                if (rows == 1)
                    throw new SyncException(SyncErrorKind.QueryFailed,
                        $"The row of {_table} with key ({string.Join(", ", pageEnd.Select(State.Watermark.Display))}) is larger than {_dialect.Kind} takes in one message: {ex.Message}", ex);
                // The refused statement changed nothing (a page loads whole or not at all); try again with half.
                await target.RecoverAsync(ct).ConfigureAwait(false);
                _pageSize = (int)Math.Max(1, rows / 2);
                _observer.Warning($"{_table}: the target refused a batch of {rows:N0} rows as too large ({ex.Message.TrimEnd('.')}); " +
                                  $"trying again with {_pageSize:N0} rows per batch.");
                continue;
            }
            if (loaded != rows)
                throw new SyncException(SyncErrorKind.QueryFailed, $"The page of {_table} ending at key ({string.Join(", ", pageEnd)}) had {rows} rows but {loaded} were loaded.");
            copied += loaded;
            progress(loaded);
            after = pageEnd;
            if (rows < _pageSize) break;
        }
        return copied;
    }

    /// <summary>Deletes the target's rows of <paramref name="range"/> (a range a killed run may have half loaded).</summary>
    public async Task<long> ClearAsync(PageLoader target, KeyRange range, CancellationToken ct)
    {
        var (sql, args) = ClearSql(range);
        return await target.ExecuteAsync(sql, args, _dialect, ct).ConfigureAwait(false);
    }

    private async Task<long> LoadAsync(DbConnection source, PageLoader target, KeyRange page, CancellationToken ct)
    {
        var (select, args) = PageSql(page, target.Inline);
        return await target.LoadAsync(source, select, args, ct).ConfigureAwait(false);
    }

    /// <summary>The SELECT of one page's rows in key order, and its arguments.</summary>
    internal (string Sql, List<object?> Args) PageSql(KeyRange page, Func<object?, string>? inline = null)
    {
        var (where, args) = page.Predicate(_dialect, QuotedKey, inline: inline);
        return ($"SELECT {ColumnList} FROM {Table} WHERE {where} ORDER BY {string.Join(", ", QuotedKey)}", args);
    }

    /// <summary>The DELETE that clears a range in the target, and its arguments.</summary>
    internal (string Sql, List<object?> Args) ClearSql(KeyRange range)
    {
        var (where, args) = range.Predicate(_dialect, QuotedKey);
        return ($"DELETE FROM {Table}" + (where.Length > 0 ? " WHERE " + where : ""), args);
    }

    /// <summary>The query for the last key of the next page within <paramref name="rest"/> and the page's row
    /// count (never OFFSET: the first rows of the key index, numbered, the last one kept), and its arguments.</summary>
    internal (string Sql, List<object?> Args) PageEndSql(KeyRange rest)
    {
        var (where, args) = rest.Predicate(_dialect, QuotedKey);
        var aliases = string.Join(", ", _key.Select((_, i) => "k" + i));
        var inner = _dialect.Limit($"SELECT {string.Join(", ", _key.Select((k, i) => Q(k) + " AS k" + i))} FROM {Table}"
                                   + (where.Length > 0 ? " WHERE " + where : "") + $" ORDER BY {string.Join(", ", QuotedKey)}", _pageSize);
        var sql = _dialect.Limit($"SELECT {aliases}, n FROM (SELECT {aliases}, ROW_NUMBER() OVER (ORDER BY {aliases}) AS n FROM ({inner}) p) q ORDER BY n DESC", 1);
        return (sql, args);
    }

    /// <summary>The last key of the next page within <paramref name="rest"/> and the page's row count,
    /// worked out on the server from the key index.</summary>
    private async Task<(object?[] End, long Rows)> PageEndAsync(DbConnection source, KeyRange rest, CancellationToken ct)
    {
        var (sql, args) = PageEndSql(rest);
        await using var cmd = source.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Count; i++) _dialect.AddParameter(cmd, i, args[i]);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return ([], 0);
        var end = new object?[_key.Count];
        for (var i = 0; i < end.Length; i++) end[i] = r.GetValue(i);
        return (end, Convert.ToInt64(r.GetValue(_key.Count)));
    }
}
