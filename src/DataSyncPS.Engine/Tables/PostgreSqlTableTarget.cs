using System.Data;
using Npgsql;
using NpgsqlTypes;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// PostgreSQL: each batch, already encoded in the binary COPY format (<see cref="PostgreSqlBinaryRows"/>),
/// is first copied straight into the table, in its own transaction, while no batch of the run has met a
/// key already there: all its rows are then inserted, at about half the server's work of the upsert. A
/// unique violation (or any other error the server raises) rolls that back, and the batch and the rest of the run go the upsert way: copied into
/// a temporary staging table (kept for the session, emptied at each commit), then moved with one
/// <c>INSERT ... ON CONFLICT (key) DO UPDATE</c> that touches only rows whose values differ, in one
/// transaction. Inserted and updated rows are told apart by <c>xmax = 0</c>.
/// </summary>
internal sealed class PostgreSqlTableTarget(NpgsqlConnection connection, SqlDialect dialect, TableName table, Action<string>? verbose) : ITableTarget
{
    private const string Stage = "datasyncps_stage";
    private string? _stageDefs; // the staging table's columns while it exists
    private PostgreSqlDirectLoad? _direct; // read once; Allowed turns false at the first key met

    private string Q(string identifier) => dialect.QuoteIdentifier(identifier);
    private string Target => dialect.QuoteTable(table);

    public async Task<IReadOnlyList<TableColumn>?> ReadColumnsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE n.nspname = COALESCE(@s, current_schema()) AND c.relname = @t AND c.relkind IN ('r', 'p')
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Text) { Value = (object?)table.Schema ?? DBNull.Value });
        cmd.Parameters.AddWithValue("t", table.Name);
        var columns = new List<TableColumn>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1), KindOf(reader.GetString(2))));
        return columns.Count == 0 ? null : columns;
    }

    private static ColumnKind KindOf(string typname) => typname switch
    {
        "int8" => ColumnKind.BigInt,
        "int4" => ColumnKind.Integer,
        "int2" => ColumnKind.SmallInt,
        "numeric" => ColumnKind.Numeric,
        "float8" => ColumnKind.Double,
        "float4" => ColumnKind.Real,
        "bool" => ColumnKind.Boolean,
        "text" or "varchar" or "bpchar" or "citext" or "name" => ColumnKind.Text,
        "timestamptz" => ColumnKind.TimestampTz,
        "timestamp" => ColumnKind.Timestamp,
        "date" => ColumnKind.Date,
        "jsonb" => ColumnKind.Jsonb,
        "json" => ColumnKind.Json,
        "uuid" => ColumnKind.Uuid,
        _ => ColumnKind.Other,
    };

    public TableColumn NewColumn(string name, ColumnKind kind, bool isKey) => new(name, kind switch
    {
        ColumnKind.BigInt => "bigint",
        ColumnKind.Integer => "integer",
        ColumnKind.SmallInt => "smallint",
        ColumnKind.Numeric => "numeric",
        ColumnKind.Double => "double precision",
        ColumnKind.Real => "real",
        ColumnKind.Boolean => "boolean",
        ColumnKind.TimestampTz => "timestamp with time zone",
        ColumnKind.Timestamp => "timestamp without time zone",
        ColumnKind.Date => "date",
        ColumnKind.Jsonb => "jsonb",
        ColumnKind.Json => "json",
        ColumnKind.Uuid => "uuid",
        _ => "text",
    }, kind == ColumnKind.Other ? ColumnKind.Text : kind);

    public IReadOnlyList<string> CreateTableStatements(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys)
    {
        var list = new List<string>();
        if (table.Schema is not null) list.Add($"CREATE SCHEMA IF NOT EXISTS {Q(table.Schema)}");
        var defs = columns.Select(c => $"    {Q(c.Name)} {c.SqlType}{(keys.Contains(c.Name) ? " NOT NULL" : "")}");
        list.Add($"CREATE TABLE IF NOT EXISTS {Target} (\n{string.Join(",\n", defs)},\n    PRIMARY KEY ({string.Join(", ", keys.Select(Q))})\n)");
        return list;
    }

    public string AddColumnStatement(TableColumn column) => $"ALTER TABLE {Target} ADD COLUMN IF NOT EXISTS {Q(column.Name)} {column.SqlType}";

    public async Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var sql in statements)
        {
            verbose?.Invoke(sql);
            await using var cmd = new NpgsqlCommand(sql, connection, tx);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    public ITableRows NewRows(IReadOnlyList<TableColumn> columns) => new PostgreSqlBinaryRows(columns);

    public async Task<(long Inserted, long Updated)> UpsertAsync(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys,
        ITableRows rows, CancellationToken ct)
    {
        _direct ??= await PostgreSqlDirectLoad.ReadAsync(connection, Target, keys, ct).ConfigureAwait(false);
        if (_direct.Fits(columns))
        {
            try
            {
                await CopyIntoTableAsync(columns, (PostgreSqlBinaryRows)rows, ct).ConfigureAwait(false);
                return (rows.Count, 0);
            }
            catch (PostgresException ex) when (connection.FullState == ConnectionState.Open)
            {
                // Mostly a key already there (23505), which the upsert updates; anything else the server
                // refuses (an exclusion constraint may trip on a row's own older version) is the upsert's
                // to decide too, so its answer and its error are what they always were. A table with one
                // such key likely has more.
                _direct.Allowed = false;
                verbose?.Invoke($"The direct COPY was refused ({ex.SqlState}: {ex.MessageText}); rolled back, this batch and the rest go through the staging table for the rest of the run.");
            }
        }
        return await StageAndUpsertAsync(columns, keys, rows, ct).ConfigureAwait(false);
    }

    /// <summary>The batch straight into the table, committed alone (exactly once, like an upserted batch).</summary>
    private async Task CopyIntoTableAsync(IReadOnlyList<TableColumn> columns, PostgreSqlBinaryRows rows, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var copy = $"COPY {Target} ({string.Join(", ", columns.Select(c => Q(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        verbose?.Invoke(copy + $" -- {rows.Count:N0} row(s)");
        await using (var stream = await connection.BeginRawBinaryCopyAsync(copy, ct).ConfigureAwait(false))
            await rows.WriteToAsync(stream, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false); // a deferred unique check fails here
    }

    private async Task<(long Inserted, long Updated)> StageAndUpsertAsync(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys,
        ITableRows rows, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        try
        {
            // One staging table per session and column list, emptied by every commit: no catalog churn per batch.
            var stageDefs = string.Join(", ", columns.Select((c, i) => $"c{i} {(c.Kind == ColumnKind.Other ? "text" : c.SqlType)}"));
            if (stageDefs != _stageDefs)
            {
                _stageDefs = null;
                await RunAsync($"DROP TABLE IF EXISTS pg_temp.{Stage}; CREATE TEMP TABLE {Stage} ({stageDefs}) ON COMMIT DELETE ROWS", tx, ct).ConfigureAwait(false);
            }

            var copy = $"COPY pg_temp.{Stage} FROM STDIN (FORMAT BINARY)";
            verbose?.Invoke(copy + $" -- {rows.Count:N0} row(s)");
            await using (var stream = await connection.BeginRawBinaryCopyAsync(copy, ct).ConfigureAwait(false))
                await ((PostgreSqlBinaryRows)rows).WriteToAsync(stream, ct).ConfigureAwait(false);

            var upsert = UpsertStatement(columns, keys, _direct?.Partitioned ?? false);
            verbose?.Invoke(upsert);
            (long, long) result;
            await using (var cmd = new NpgsqlCommand(upsert, connection, tx))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                result = (reader.GetInt64(0), reader.GetInt64(1));
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
            _stageDefs = stageDefs;
            return result;
        }
        catch
        {
            _stageDefs = null; // rolled back with the batch, or left behind: made again next time
            throw;
        }
    }

    /// <summary>One INSERT from the staging table; ON CONFLICT finds each row's match through the key's
    /// unique index, and the WHERE leaves rows that are already equal untouched (no new row version).</summary>
    private string UpsertStatement(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys, bool partitioned)
    {
        var names = string.Join(", ", columns.Select(c => Q(c.Name)));
        var select = string.Join(", ", columns.Select((c, i) => c.Kind == ColumnKind.Other ? $"c{i}::{c.SqlType}" : "c" + i));
        var others = columns.Where(c => !keys.Contains(c.Name)).ToList();
        string Compare(TableColumn c, string side) => c.Kind == ColumnKind.Json ? $"{side}.{Q(c.Name)}::text" : $"{side}.{Q(c.Name)}";
        var onConflict = others.Count == 0
            ? "DO NOTHING"
            : $"DO UPDATE SET {string.Join(", ", others.Select(c => $"{Q(c.Name)} = EXCLUDED.{Q(c.Name)}"))}\n" +
              $"    WHERE ({string.Join(", ", others.Select(c => Compare(c, "t")))}) IS DISTINCT FROM ({string.Join(", ", others.Select(c => Compare(c, "EXCLUDED")))})";
        var insert = $"""
                INSERT INTO {Target} AS t ({names})
                SELECT {select} FROM pg_temp.{Stage}
                ON CONFLICT ({string.Join(", ", keys.Select(Q))}) {onConflict}
            """;
        if (!partitioned)
            return $"""
                WITH up AS ({insert}
                    RETURNING (xmax = 0) AS inserted)
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
                """;
        // A partitioned table refuses system columns in RETURNING: the staged keys already in the table are
        // counted instead, in the statement's snapshot (which does not see the INSERT's rows), so the rows
        // returned are those inserted plus those updated.
        var keyMatch = string.Join(" AND ", keys.Select(k =>
        {
            var i = columns.ToList().FindIndex(c => c.Name == k);
            return $"x.{Q(k)} = " + (columns[i].Kind == ColumnKind.Other ? $"s.c{i}::{columns[i].SqlType}" : $"s.c{i}");
        }));
        return $"""
            WITH up AS ({insert}
                RETURNING 1),
            known AS (SELECT count(*) AS n FROM pg_temp.{Stage} s WHERE EXISTS (SELECT 1 FROM {Target} x WHERE {keyMatch})),
            staged AS (SELECT count(*) AS n FROM pg_temp.{Stage})
            SELECT staged.n - known.n, (SELECT count(*) FROM up) - (staged.n - known.n) FROM staged, known
            """;
    }

    private async Task RunAsync(string sql, NpgsqlTransaction tx, CancellationToken ct)
    {
        verbose?.Invoke(sql);
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
