using System.Diagnostics;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using MySqlConnector;
using Npgsql;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// Upserts batches of records into one table of a PostgreSQL or MySQL/MariaDB source (Write-SyncTable).
/// The caller hands over records a part at a time: <see cref="Plan"/> says what DDL a part needs (create
/// the table, add columns for new fields), <see cref="ApplyAsync"/> runs it, <see cref="BeginBatch"/>
/// starts a batch whose <see cref="TableBatch.Add"/> converts each record to the columns' types as it
/// comes, rejects the records that do not fit (each its own error, naming its key) and keeps the last
/// record of a key seen twice, and <see cref="WriteAsync(TableBatch, CancellationToken, TableChange?)"/>
/// upserts the rest in one statement. Rerunning a batch changes nothing: rows equal to the record are
/// not touched. Memory is the batch's converted rows, not its records.
/// </summary>
public sealed class TableWriter : IAsyncDisposable
{
    private readonly ITableTarget _target;
    private readonly SyncSource _source;
    private readonly IReadOnlyList<string> _keyFields;
    private List<TableColumn>? _columns; // null while the table does not exist
    private long _batches;

    private TableWriter(ITableTarget target, SyncSource source, TableName table, IReadOnlyList<string> keys, List<TableColumn>? columns)
    {
        _target = target;
        _source = source;
        Table = table;
        _keyFields = keys;
        _columns = columns;
    }

    public TableName Table { get; }

    public string TableText => Table.Schema is null ? Table.Name : $"{Table.Schema}.{Table.Name}";

    public bool TableExists => _columns is not null;

    public IReadOnlyList<TableColumn> Columns => _columns ?? [];

    public static async Task<TableWriter> OpenAsync(SyncSource source, string table, IReadOnlyList<string> keys,
        Action<string>? verbose, CancellationToken ct)
    {
        if (keys.Count == 0 || keys.Any(string.IsNullOrWhiteSpace))
            throw new SyncException(SyncErrorKind.InvalidArgument, "-Key needs one or more field names (the table's primary key, or a unique key).");
        var name = TableName.Parse(table);
        if (source.Dialect is null || source.ConnectionString is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The {source.Provider} source '{source.Name}' is not a database a table can be written to.");
        ITableTarget target;
        switch (source.Provider)
        {
            case ProviderKind.PostgreSql:
                var pg = (NpgsqlConnection)await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
                target = new PostgreSqlTableTarget(pg, source.Dialect, name, verbose);
                break;
            case ProviderKind.MariaDb or ProviderKind.MySql:
                var my = new MySqlConnection(MySqlTableTarget.ConnectionString(source.ConnectionString));
                try
                {
                    await my.OpenAsync(ct).ConfigureAwait(false);
                    if (source.Dialect.SessionSetupSql is { } setup)
                    {
                        await using var cmd = new MySqlCommand(setup, my);
                        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not SyncException && !ct.IsCancellationRequested)
                {
                    await my.DisposeAsync().ConfigureAwait(false);
                    throw SourceConnector.Translate(ex, source, null);
                }
                target = new MySqlTableTarget(my, source.Dialect, name, verbose);
                break;
            default:
                throw new SyncException(SyncErrorKind.InvalidArgument,
                    $"Write-SyncTable writes to PostgreSQL, MariaDB and MySQL; '{source.Name}' is {source.Provider}.");
        }
        try
        {
            var columns = await target.ReadColumnsAsync(ct).ConfigureAwait(false);
            var writer = new TableWriter(target, source, name, keys, columns?.ToList());
            if (columns is not null)
                foreach (var key in keys)
                    if (writer.Find(key) is null)
                        throw new SyncException(SyncErrorKind.ColumnNotFound,
                            $"The table '{writer.TableText}' has no column '{key}' for -Key (its columns: {string.Join(", ", columns.Select(c => c.Name))}).", target: key);
            return writer;
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The DDL this batch needs: the table (typed from the batch's values) when missing, or
    /// a column for each field the table lacks.</summary>
    public TableChange Plan(IReadOnlyList<TableRecord> batch)
    {
        var fields = FieldNames(batch);
        if (_columns is null)
        {
            foreach (var key in _keyFields)
                if (!fields.Contains(key, StringComparer.OrdinalIgnoreCase))
                    throw new SyncException(SyncErrorKind.ColumnNotFound,
                        $"The records have no field '{key}' for -Key, so the table '{TableText}' cannot be created with it (their fields: {string.Join(", ", fields)}).", target: key);
            var columns = fields.Select(f => NewColumn(batch, f)).ToList();
            var keys = _keyFields.Select(k => columns.First(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase)).Name).ToList();
            return new TableChange(true, columns, _target.CreateTableStatements(columns, keys));
        }
        var added = fields.Where(f => Find(f) is null).Select(f => NewColumn(batch, f)).ToList();
        return new TableChange(false, added, added.Select(_target.AddColumnStatement).ToList());
    }

    public async Task ApplyAsync(TableChange change, CancellationToken ct)
    {
        if (change.IsEmpty) return;
        await Guard(() => _target.ExecuteAsync(change.Statements, ct), "change the table").ConfigureAwait(false);
        _columns = (await Guard(() => _target.ReadColumnsAsync(ct), "read the table's columns").ConfigureAwait(false))?.ToList()
            ?? throw new SyncException(SyncErrorKind.TableNotFound, $"The table '{TableText}' is not there after it was created.", target: TableText);
    }

    /// <summary>Converts and upserts one batch. Records that cannot be written are reported to
    /// <paramref name="observer"/> as item errors (RecordRejected) and left out; the rest go on.</summary>
    public async Task<TableWriteResult> WriteAsync(IReadOnlyList<TableRecord> batch, ISyncObserver observer, CancellationToken ct,
        TableChange? applied = null)
    {
        using var converted = BeginBatch(batch);
        converted.Add(batch, observer, ct);
        return await WriteAsync(converted, ct, applied).ConfigureAwait(false);
    }

    /// <summary>A batch whose columns are the table's columns among the fields of <paramref name="first"/>
    /// (its first part) and the key; its records are converted as they are added (<see cref="TableBatch.Add"/>).</summary>
    public TableBatch BeginBatch(IReadOnlyList<TableRecord> first)
    {
        if (_columns is null)
            throw new SyncException(SyncErrorKind.TableNotFound, $"The table '{TableText}' does not exist; -CreateTable creates it from the records.", target: TableText);
        var keys = _keyFields.Select(k => Find(k)!.Name).ToList();
        var fields = FieldNames(first);
        var columns = _columns.Where(c => fields.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var key in keys)
            if (!columns.Any(c => c.Name == key)) columns.Add(_columns.First(c => c.Name == key));
        return new TableBatch(++_batches, TableText, columns, keys, _target.NewRows(columns));
    }

    /// <summary>Upserts a batch's converted rows (the caller disposes the batch).</summary>
    public async Task<TableWriteResult> WriteAsync(TableBatch batch, CancellationToken ct, TableChange? applied = null)
    {
        var clock = Stopwatch.StartNew();
        var rows = batch.Rows;
        long inserted = 0, updated = 0;
        if (rows.Count > 0)
            (inserted, updated) = await Guard(() => _target.UpsertAsync(batch.Columns, batch.Keys, rows, ct), $"upsert batch {batch.Number}").ConfigureAwait(false);
        var kept = rows.Count;
        return new TableWriteResult
        {
            Source = _source.Name,
            Table = TableText,
            Batch = batch.Number,
            Records = batch.Records,
            Inserted = inserted,
            Updated = updated,
            Unchanged = kept - inserted - updated,
            Rejected = batch.Rejected,
            Superseded = batch.Superseded,
            Created = applied?.CreatesTable == true,
            ColumnsAdded = applied is { CreatesTable: false } ? applied.NewColumns.Select(c => c.Name).ToList() : [],
            Duration = clock.Elapsed,
        };
    }

    private TableColumn? Find(string field) =>
        _columns?.FirstOrDefault(c => c.Name == field) ?? _columns?.FirstOrDefault(c => string.Equals(c.Name, field, StringComparison.OrdinalIgnoreCase));

    private TableColumn NewColumn(IReadOnlyList<TableRecord> batch, string field)
    {
        var kind = ColumnTypeInference.Infer(batch.Select(r => r.TryGet(field, out var v) ? v : null));
        return _target.NewColumn(field, kind, _keyFields.Contains(field, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Field names in the order first seen, one spelling per name whatever its case.</summary>
    private static List<string> FieldNames(IReadOnlyList<TableRecord> batch)
    {
        var shapes = new HashSet<RecordShape>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var record in batch)
            if (shapes.Add(record.Shape))
                foreach (var name in record.Shape.Names)
                    if (name.Length > 0 && seen.Add(name)) names.Add(name);
        return names;
    }

    private async Task<T> Guard<T>(Func<Task<T>> action, string what)
    {
        try { return await action().ConfigureAwait(false); }
        catch (Exception ex) when (ex is not SyncException and not OperationCanceledException)
        {
            throw Failure(ex, what);
        }
    }

    private async Task Guard(Func<Task> action, string what) => await Guard(async () => { await action().ConfigureAwait(false); return 0; }, what).ConfigureAwait(false);

    private SyncException Failure(Exception ex, string what)
    {
        var message = ex.GetBaseException().Message;
        if (ex is PostgresException { SqlState: "42P10" })
            message = $"the key ({string.Join(", ", _keyFields)}) is not the table's primary key or a unique index, which an upsert needs";
        if (ex is MySqlException { ErrorCode: MySqlErrorCode.NotAllowedCommand })
            message += " (the server must allow LOAD DATA LOCAL INFILE: local_infile = ON)";
        return new SyncException(SyncErrorKind.QueryFailed, $"Cannot {what} of '{TableText}' on {_source.Provider} {_source.Location}: {message}", ex, TableText);
    }

    public ValueTask DisposeAsync() => _target.DisposeAsync();
}
