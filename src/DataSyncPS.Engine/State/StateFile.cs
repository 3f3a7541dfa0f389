using Microsoft.Data.Sqlite;

namespace DataSyncPS.Engine.State;

/// <summary>
/// Opening the state store's SQLite file. A missing file is created whole under a temporary name and
/// renamed into place, so a half-made store never sits at the real path; a file that exists must be a
/// readable DataSyncPS store — an emptied (0-byte), damaged or foreign file is StateStoreFailed, never a
/// fresh start, which would restart every stream at sequence 1 (DESIGN contract 10).
/// </summary>
internal static class StateFile
{
    /// <summary>PRAGMA application_id of a DataSyncPS store: "DSPS".</summary>
    private const long ApplicationId = 0x44535053;
    // 2: batches.first_key (the typed key of a batch's first row: Sync-Plusoft re-reads a rejected batch's
    // range) and the copy_ranges table (Copy-DbStructure -Parallel's checkpoints).
    private const int SchemaVersion = 2;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS streams (
          stream_key TEXT PRIMARY KEY, source TEXT NOT NULL, stream TEXT NOT NULL,
          watermark TEXT, updated_at TEXT NOT NULL, name TEXT, next_sequence INTEGER);
        CREATE TABLE IF NOT EXISTS batches (
          stream_key TEXT NOT NULL, sequence INTEGER NOT NULL, path TEXT NOT NULL,
          rows INTEGER NOT NULL, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
          first_cursor TEXT, last_cursor TEXT, watermark TEXT, created_at TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'Written', upload_id TEXT, confirmed_at TEXT, first_key TEXT,
          PRIMARY KEY (stream_key, sequence));
        CREATE INDEX IF NOT EXISTS batches_status ON batches(status, stream_key, sequence);
        CREATE INDEX IF NOT EXISTS batches_path ON batches(path);
        CREATE TABLE IF NOT EXISTS runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT, stream_key TEXT NOT NULL, started_at TEXT NOT NULL,
          ended_at TEXT, status TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0,
          batches INTEGER NOT NULL DEFAULT 0, message TEXT);
        CREATE INDEX IF NOT EXISTS runs_stream ON runs(stream_key, id);
        CREATE TABLE IF NOT EXISTS copy_ranges (
          copy_key TEXT NOT NULL, range_index INTEGER NOT NULL, lower_key TEXT, upper_key TEXT,
          rows INTEGER, done_run TEXT, done_at TEXT,
          PRIMARY KEY (copy_key, range_index));
        """;

    public static SqliteConnection Open(string path)
    {
        try
        {
            if (!File.Exists(path)) Create(path);
            var length = new FileInfo(path).Length;
            if (length == 0)
                throw new SyncException(SyncErrorKind.StateStoreFailed,
                    $"The state store '{path}' is empty (0 bytes): it was truncated or damaged. Restore it from a backup; " +
                    "deleting it starts every stream over (a full export) and forgets which batches were sent.", target: path);
            var connection = Connect(path);
            try
            {
                Check(connection, path);
                Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
                Migrate(connection);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch (SqliteException ex) { throw Failure(path, ex); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.StateStoreFailed, $"The state store '{path}' cannot be opened: {ex.Message}", ex, path);
        }
    }

    public static SyncException Failure(string path, SqliteException ex)
    {
        var what = ex.SqliteErrorCode switch
        {
            11 or 26 => "it is damaged or not a DataSyncPS state store (restore it from a backup)", // SQLITE_CORRUPT, SQLITE_NOTADB
            5 or 6 => "it stayed locked by another process", // SQLITE_BUSY, SQLITE_LOCKED
            8 => "it is read-only", // SQLITE_READONLY
            13 => "the disk is full", // SQLITE_FULL
            _ => "SQLite failed",
        };
        return new SyncException(SyncErrorKind.StateStoreFailed, $"The state store '{path}' cannot be used: {what}. {ex.Message}", ex, path);
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            Mode = SqliteOpenMode.ReadWrite, // never creates: creation is Create's job
            DefaultTimeout = 15,
        }.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=15000;");
        return connection;
    }

    private static void Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".new";
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ConnectionString))
            {
                connection.Open();
                Execute(connection, Schema + $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {SchemaVersion};");
            }
            try { File.Move(temporary, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { /* another process created it first: use theirs */ }
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Reads every page once (quick_check) and makes sure the file is ours.</summary>
    private static void Check(SqliteConnection connection, string path)
    {
        var problems = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "PRAGMA quick_check(5)";
            using var r = cmd.ExecuteReader();
            while (r.Read()) problems.Add(r.GetString(0));
        }
        if (problems is not ["ok"])
            throw new SyncException(SyncErrorKind.StateStoreFailed,
                $"The state store '{path}' is damaged ({string.Join("; ", problems)}). Restore it from a backup; " +
                "deleting it starts every stream over and forgets which batches were sent.", target: path);

        var applicationId = Convert.ToInt64(Scalar(connection, "PRAGMA application_id"));
        if (applicationId == ApplicationId) return;
        // Stores made before the id was set are recognised by their tables.
        var tables = Convert.ToInt64(Scalar(connection,
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('streams', 'batches', 'runs')"));
        if (applicationId != 0 || tables != 3)
            throw new SyncException(SyncErrorKind.StateStoreFailed,
                $"'{path}' is an SQLite database but not a DataSyncPS state store; give -StatePath a file of its own.", target: path);
    }

    /// <summary>Brings a store of an earlier version up to this one, in one transaction. Version 2 added
    /// batches.first_key and a table (Copy-DbStructure's key ranges), which <see cref="Schema"/> creates.</summary>
    private static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version"));
        if (version >= SchemaVersion) return;
        using var tx = connection.BeginTransaction();
        var columns = Columns(connection, tx, "streams");
        if (!columns.Contains("name")) Execute(connection, "ALTER TABLE streams ADD COLUMN name TEXT", tx);
        if (!columns.Contains("next_sequence")) Execute(connection, "ALTER TABLE streams ADD COLUMN next_sequence INTEGER", tx);
        var batchColumns = Columns(connection, tx, "batches");
        if (batchColumns.Count > 0 && !batchColumns.Contains("first_key")) Execute(connection, "ALTER TABLE batches ADD COLUMN first_key TEXT", tx);
        Execute(connection, Schema, tx);

        // Version 0 kept a stream row only once a watermark was set; batches and runs of other streams
        // named their stream by the key text "<source>|<stream>" alone. This is the one place that text
        // is taken apart, once, to give those streams their row.
        var orphans = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                SELECT stream_key FROM batches UNION SELECT stream_key FROM runs
                EXCEPT SELECT stream_key FROM streams
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read()) orphans.Add(r.GetString(0));
        }
        foreach (var key in orphans)
        {
            var bar = key.LastIndexOf('|');
            Execute(connection, "INSERT INTO streams (stream_key, source, stream, updated_at) VALUES ($k, $src, $s, $at)", tx,
                ("$k", key), ("$src", bar < 0 ? key : key[..bar]), ("$s", bar < 0 ? key : key[(bar + 1)..]),
                ("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        }
        Execute(connection, """
            UPDATE streams SET name = COALESCE(name, stream),
              next_sequence = COALESCE(next_sequence, (SELECT MAX(sequence) + 1 FROM batches b WHERE b.stream_key = streams.stream_key));
            """, tx);
        Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {SchemaVersion};", tx);
        tx.Commit();
    }

    private static HashSet<string> Columns(SqliteConnection connection, SqliteTransaction tx, string table)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var r = cmd.ExecuteReader();
        while (r.Read()) columns.Add(r.GetString(0));
        return columns;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }
}
