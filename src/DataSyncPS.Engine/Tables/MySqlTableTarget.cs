using System.Data;
using MySqlConnector;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// MySQL and MariaDB: while no batch of the run has met a key already there, a batch of an InnoDB table
/// goes with <c>MySqlBulkCopy</c> (LOAD DATA LOCAL INFILE) straight into the table in its own
/// transaction. LOCAL loads skip a duplicate key, and take a value strict mode would refuse, with a
/// warning instead of an error: any warning, or a row not inserted, rolls the load back, and that batch
/// and the rest of the run go the staging way (never REPLACE, whose delete fires cascades and delete
/// triggers): into a temporary staging table, then one <c>INSERT ... SELECT ... ON DUPLICATE KEY UPDATE</c>,
/// in one transaction. The connection counts affected rows (1 per insert, 2 per real update, 0 for a row set
/// to its own values), and the keys already there are counted first, so inserted, updated and
/// unchanged are exact.
/// </summary>
internal sealed class MySqlTableTarget(MySqlConnection connection, SqlDialect dialect, TableName table, Action<string>? verbose) : ITableTarget
{
    private const string Stage = "datasyncps_stage";
    private bool? _direct; // null until the table's engine is read; false from the first key met

    /// <summary>The writer's own connection: LOAD DATA LOCAL for the bulk copy, affected (not found) rows.</summary>
    public static string ConnectionString(string connectionString) => new MySqlConnectionStringBuilder(connectionString)
    {
        AllowLoadLocalInfile = true,
        UseAffectedRows = true,
    }.ConnectionString;

    private string Q(string identifier) => dialect.QuoteIdentifier(identifier);
    private string Target => dialect.QuoteTable(table);

    public async Task<IReadOnlyList<TableColumn>?> ReadColumnsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = COALESCE(@s, DATABASE()) AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION
            """;
        await using var cmd = new MySqlCommand(sql, connection);
        cmd.Parameters.AddWithValue("@s", (object?)table.Schema ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@t", table.Name);
        var columns = new List<TableColumn>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var type = reader.GetString(1);
            columns.Add(new TableColumn(reader.GetString(0), type, KindOf(reader.GetString(2).ToLowerInvariant(), type.ToLowerInvariant())));
        }
        return columns.Count == 0 ? null : columns;
    }

    private static ColumnKind KindOf(string dataType, string columnType) => dataType switch
    {
        "tinyint" when columnType.StartsWith("tinyint(1)", StringComparison.Ordinal) => ColumnKind.Boolean,
        "bigint" => columnType.Contains("unsigned", StringComparison.Ordinal) ? ColumnKind.Numeric : ColumnKind.BigInt,
        "int" or "mediumint" => columnType.Contains("unsigned", StringComparison.Ordinal) ? ColumnKind.BigInt : ColumnKind.Integer,
        "smallint" or "tinyint" => ColumnKind.Integer,
        "decimal" => ColumnKind.Numeric,
        "double" => ColumnKind.Double,
        "float" => ColumnKind.Real,
        "bit" when columnType == "bit(1)" => ColumnKind.Boolean,
        "char" or "varchar" or "text" or "tinytext" or "mediumtext" or "longtext" or "enum" or "set" => ColumnKind.Text,
        "json" => ColumnKind.Json,
        "datetime" or "timestamp" => ColumnKind.Timestamp,
        "date" => ColumnKind.Date,
        _ => ColumnKind.Other,
    };

    public TableColumn NewColumn(string name, ColumnKind kind, bool isKey) => kind switch
    {
        ColumnKind.BigInt or ColumnKind.Integer or ColumnKind.SmallInt => new(name, "BIGINT", ColumnKind.BigInt),
        ColumnKind.Numeric => new(name, "DECIMAL(38,10)", ColumnKind.Numeric),
        ColumnKind.Double or ColumnKind.Real => new(name, "DOUBLE", ColumnKind.Double),
        ColumnKind.Boolean => new(name, "TINYINT(1)", ColumnKind.Boolean),
        // Stored as UTC wall time (the writer's session is UTC), as exports read DATETIME back.
        ColumnKind.TimestampTz or ColumnKind.Timestamp => new(name, "DATETIME(6)", ColumnKind.Timestamp),
        ColumnKind.Date => new(name, "DATE", ColumnKind.Date),
        ColumnKind.Jsonb or ColumnKind.Json => new(name, "JSON", ColumnKind.Json),
        ColumnKind.Uuid => new(name, "CHAR(36)", ColumnKind.Text),
        // A key must have a bounded length to be indexed.
        _ => new(name, isKey ? "VARCHAR(255)" : "LONGTEXT", ColumnKind.Text),
    };

    public IReadOnlyList<string> CreateTableStatements(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys)
    {
        var list = new List<string>();
        if (table.Schema is not null) list.Add($"CREATE DATABASE IF NOT EXISTS {Q(table.Schema)}");
        var defs = columns.Select(c => $"    {Q(c.Name)} {c.SqlType}{(keys.Contains(c.Name) ? " NOT NULL" : " NULL")}");
        list.Add($"CREATE TABLE IF NOT EXISTS {Target} (\n{string.Join(",\n", defs)},\n    PRIMARY KEY ({string.Join(", ", keys.Select(Q))})\n)");
        return list;
    }

    public string AddColumnStatement(TableColumn column) => $"ALTER TABLE {Target} ADD COLUMN IF NOT EXISTS {Q(column.Name)} {column.SqlType} NULL";

    public async Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken ct)
    {
        foreach (var sql in statements) await RunAsync(sql, null, ct).ConfigureAwait(false); // DDL commits implicitly
    }

    public ITableRows NewRows(IReadOnlyList<TableColumn> columns) => new ConvertedRows(columns);

    public async Task<(long Inserted, long Updated)> UpsertAsync(IReadOnlyList<TableColumn> columns, IReadOnlyList<string> keys,
        ITableRows staged, CancellationToken ct)
    {
        var rows = ((ConvertedRows)staged).Rows;
        var data = new DataTable();
        foreach (var (c, i) in columns.Select((c, i) => (c, i))) data.Columns.Add("c" + i, ClrType(c.Kind));
        foreach (var row in rows) data.Rows.Add(row.Select((v, i) => Bulk(v, columns[i].Kind)).ToArray());

        // Only a transactional table can have a direct load taken back.
        _direct ??= "InnoDB".Equals(await ScalarAsync(
            "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(@s, DATABASE()) AND TABLE_NAME = @t", null, ct,
            ("@s", table.Schema), ("@t", table.Name)).ConfigureAwait(false) as string, StringComparison.OrdinalIgnoreCase);
        if (_direct == true && columns.All(c => c.Kind != ColumnKind.Other))
        {
            if (await LoadIntoTableAsync(columns, data, ct).ConfigureAwait(false)) return (staged.Count, 0);
            _direct = false;
        }

        // A temporary table is outside transactions in MySQL: made before, dropped after.
        await RunAsync($"DROP TEMPORARY TABLE IF EXISTS {Stage}", null, ct).ConfigureAwait(false);
        var stageDefs = columns.Select((c, i) => $"c{i} {(c.Kind == ColumnKind.Other ? "LONGTEXT" : c.SqlType)} NULL");
        await RunAsync($"CREATE TEMPORARY TABLE {Stage} ({string.Join(", ", stageDefs)})", null, ct).ConfigureAwait(false);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            verbose?.Invoke($"MySqlBulkCopy into {Stage} -- {staged.Count:N0} row(s)");
            var bulk = new MySqlBulkCopy(connection, tx) { DestinationTableName = Stage, BulkCopyTimeout = 0 };
            var copied = await bulk.WriteToServerAsync(data, ct).ConfigureAwait(false);
            if (copied.Warnings.Count > 0)
                throw new InvalidOperationException("The staging load reported: " + string.Join("; ", copied.Warnings.Select(w => w.Message)));

            var on = string.Join(" AND ", keys.Select(k => $"t.{Q(k)} <=> s.c{columns.ToList().FindIndex(c => c.Name == k)}"));
            var existing = Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM {Stage} s JOIN {Target} t ON {on}", tx, ct).ConfigureAwait(false));
            var others = columns.Where(c => !keys.Contains(c.Name)).ToList();
            var names = string.Join(", ", columns.Select(c => Q(c.Name)));
            var select = string.Join(", ", columns.Select((c, i) => "c" + i));
            var update = others.Count == 0
                ? $"{Q(keys[0])} = {Q(keys[0])}"
                : string.Join(", ", others.Select(c => $"{Q(c.Name)} = VALUES({Q(c.Name)})"));
            var sql = $"INSERT INTO {Target} ({names})\nSELECT {select} FROM {Stage}\nON DUPLICATE KEY UPDATE {update}";
            verbose?.Invoke(sql);
            await using var cmd = new MySqlCommand(sql, connection, tx);
            var affected = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            var inserted = staged.Count - existing;
            return (inserted, Math.Max(0, (affected - inserted) / 2));
        }
        finally
        {
            await RunAsync($"DROP TEMPORARY TABLE IF EXISTS {Stage}", null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The batch straight into the table, committed alone; false (and nothing left) when the
    /// server skipped a row or warned of one, for the upsert to decide.</summary>
    private async Task<bool> LoadIntoTableAsync(IReadOnlyList<TableColumn> columns, DataTable data, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        verbose?.Invoke($"MySqlBulkCopy into {Target} -- {data.Rows.Count:N0} row(s)");
        var bulk = new MySqlBulkCopy(connection, tx) { DestinationTableName = Target, BulkCopyTimeout = 0, ConflictOption = MySqlBulkLoaderConflictOption.None };
        for (var i = 0; i < columns.Count; i++) bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, columns[i].Name));
        string why;
        try
        {
            var loaded = await bulk.WriteToServerAsync(data, ct).ConfigureAwait(false);
            if (loaded.Warnings.Count == 0 && loaded.RowsInserted == data.Rows.Count)
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return true;
            }
            why = loaded.Warnings.Count > 0 ? loaded.Warnings[0].Message : $"{loaded.RowsInserted:N0} of {data.Rows.Count:N0} rows inserted";
        }
        catch (MySqlException ex) when (connection.State == ConnectionState.Open)
        {
            // Whatever the server refused here, the upsert decides, with its own answer or error.
            why = ex.Message;
        }
        await tx.RollbackAsync(ct).ConfigureAwait(false);
        verbose?.Invoke($"The direct load met an existing key or a value it took differently ({why}); rolled back, this batch and the rest go through the staging table for the rest of the run.");
        return false;
    }

    private static Type ClrType(ColumnKind kind) => kind switch
    {
        ColumnKind.BigInt or ColumnKind.Integer or ColumnKind.SmallInt => typeof(long),
        ColumnKind.Numeric => typeof(decimal),
        ColumnKind.Double or ColumnKind.Real => typeof(double),
        ColumnKind.Boolean => typeof(bool),
        ColumnKind.Timestamp or ColumnKind.TimestampTz or ColumnKind.Date => typeof(DateTime),
        _ => typeof(string),
    };

    private static object Bulk(object? value, ColumnKind kind) => value switch
    {
        null => DBNull.Value,
        int i => (long)i,
        short s => (long)s,
        float f => (double)f,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Unspecified),
        Guid g => g.ToString(),
        _ => value,
    };

    private async Task RunAsync(string sql, MySqlTransaction? tx, CancellationToken ct)
    {
        verbose?.Invoke(sql);
        await using var cmd = new MySqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<object?> ScalarAsync(string sql, MySqlTransaction? tx, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = new MySqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
