using System.Globalization;
using Microsoft.Data.Sqlite;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.State;

/// <summary>
/// Watermarks, the batch outbox and run history in one SQLite file. A batch record and the watermark it
/// advances are written in one transaction (DESIGN contract 2). State stays small: one row per stream,
/// one per batch, one per run.
/// </summary>
public sealed class StateStore : IDisposable
{
    private readonly SqliteConnection _connection;

    public StateStore(string? path = null)
    {
        Path = System.IO.Path.GetFullPath(path ?? DefaultPath);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString);
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=15000;");
            Execute("""
                CREATE TABLE IF NOT EXISTS streams (
                  stream_key TEXT PRIMARY KEY, source TEXT NOT NULL, stream TEXT NOT NULL,
                  watermark TEXT, updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS batches (
                  stream_key TEXT NOT NULL, sequence INTEGER NOT NULL, path TEXT NOT NULL,
                  rows INTEGER NOT NULL, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
                  first_cursor TEXT, last_cursor TEXT, watermark TEXT, created_at TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'Written', upload_id TEXT, confirmed_at TEXT,
                  PRIMARY KEY (stream_key, sequence));
                CREATE INDEX IF NOT EXISTS batches_status ON batches(status, stream_key, sequence);
                CREATE TABLE IF NOT EXISTS runs (
                  id INTEGER PRIMARY KEY AUTOINCREMENT, stream_key TEXT NOT NULL, started_at TEXT NOT NULL,
                  ended_at TEXT, status TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0,
                  batches INTEGER NOT NULL DEFAULT 0, message TEXT);
                """);
        }
        catch (SqliteException ex)
        {
            throw new SyncException(SyncErrorKind.StateStoreFailed, $"The state store '{Path}' cannot be opened: {ex.Message}", ex, Path);
        }
    }

    /// <summary>Per-user: %LOCALAPPDATA%\DataSyncPS\state.db on Windows, ~/.local/share/DataSyncPS/state.db
    /// elsewhere; DATASYNCPS_HOME moves the whole folder (scheduled jobs, tests).</summary>
    public static string DefaultPath => System.IO.Path.Combine(DataHome, "state.db");

    public static string DataHome
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("DATASYNCPS_HOME");
            if (!string.IsNullOrEmpty(home)) return home;
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(local))
                local = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return System.IO.Path.Combine(local, "DataSyncPS");
        }
    }

    public string Path { get; }

    public static string StreamKey(string sourceIdentity, string stream) => sourceIdentity + "|" + stream;

    public string? GetWatermark(string streamKey) =>
        Scalar("SELECT watermark FROM streams WHERE stream_key = $k", ("$k", streamKey)) as string;

    /// <summary>The next batch sequence of a stream: after its own batches and, when
    /// <paramref name="filePathPrefix"/> is given, after every batch recorded under file names of that
    /// prefix by another stream, so that a new batch never overwrites a recorded one. (Sequence numbers
    /// of a stream then have gaps, never repeats.) Case is ignored, as some file systems ignore it.</summary>
    public long NextSequence(string streamKey, string? filePathPrefix = null) =>
        Convert.ToInt64(Scalar("""
            SELECT COALESCE(MAX(sequence), 0) + 1 FROM batches
            WHERE stream_key = $k
               OR ($p IS NOT NULL AND substr(path, 1, length($p)) = $p COLLATE NOCASE
                   AND substr(path, length($p) + 1) GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]*.jsonl.gz')
            """, ("$k", streamKey), ("$p", filePathPrefix)), CultureInfo.InvariantCulture);

    /// <summary>Records a batch and, in the same transaction, moves the stream's watermark.</summary>
    public void CommitBatch(string streamKey, string source, string stream, BatchRecord batch, string? newWatermark)
    {
        using var tx = _connection.BeginTransaction();
        Execute("""
            INSERT INTO batches (stream_key, sequence, path, rows, bytes, sha256, first_cursor, last_cursor, watermark, created_at, status)
            VALUES ($k, $seq, $path, $rows, $bytes, $sha, $first, $last, $wm, $at, 'Written')
            ON CONFLICT (stream_key, sequence) DO UPDATE SET path = excluded.path, rows = excluded.rows,
              bytes = excluded.bytes, sha256 = excluded.sha256, first_cursor = excluded.first_cursor,
              last_cursor = excluded.last_cursor, watermark = excluded.watermark, created_at = excluded.created_at,
              status = 'Written', upload_id = NULL, confirmed_at = NULL
            """, tx,
            ("$k", streamKey), ("$seq", batch.Sequence), ("$path", batch.Path), ("$rows", batch.Rows),
            ("$bytes", batch.Bytes), ("$sha", batch.Sha256), ("$first", batch.FirstCursor), ("$last", batch.LastCursor),
            ("$wm", newWatermark), ("$at", Now()));
        if (newWatermark is not null) SetWatermark(streamKey, source, stream, newWatermark, tx);
        tx.Commit();
    }

    public void SetWatermark(string streamKey, string source, string stream, string? watermark, SqliteTransaction? tx = null) =>
        Execute("""
            INSERT INTO streams (stream_key, source, stream, watermark, updated_at) VALUES ($k, $src, $s, $wm, $at)
            ON CONFLICT (stream_key) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at
            """, tx, ("$k", streamKey), ("$src", source), ("$s", stream), ("$wm", watermark), ("$at", Now()));

    /// <summary>Forgets a stream's position so the next export starts over. Batch records stay, so
    /// sequences keep growing and unsent batches are still sent.</summary>
    public bool ResetStream(string streamKey) =>
        Execute("UPDATE streams SET watermark = NULL, updated_at = $at WHERE stream_key = $k", null, ("$k", streamKey), ("$at", Now())) > 0;

    public long StartRun(string streamKey) =>
        Convert.ToInt64(Scalar("INSERT INTO runs (stream_key, started_at, status) VALUES ($k, $at, 'Running') RETURNING id",
            ("$k", streamKey), ("$at", Now())), CultureInfo.InvariantCulture);

    public void EndRun(long runId, string status, long rows, long batches, string? message) =>
        Execute("UPDATE runs SET ended_at = $at, status = $st, rows = $r, batches = $b, message = $m WHERE id = $id", null,
            ("$at", Now()), ("$st", status), ("$r", rows), ("$b", batches), ("$m", message), ("$id", runId));

    /// <summary>Batches written but not confirmed, oldest first: the outbox.</summary>
    public IReadOnlyList<BatchRecord> PendingBatches(string? streamKey = null)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT stream_key, sequence, path, rows, bytes, sha256, first_cursor, last_cursor, watermark, created_at, status
            FROM batches WHERE status <> 'Confirmed' AND ($k IS NULL OR stream_key = $k) ORDER BY stream_key, sequence
            """;
        cmd.Parameters.AddWithValue("$k", (object?)streamKey ?? DBNull.Value);
        return ReadBatches(cmd);
    }

    public IReadOnlyList<BatchRecord> Batches(string streamKey)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT stream_key, sequence, path, rows, bytes, sha256, first_cursor, last_cursor, watermark, created_at, status
            FROM batches WHERE stream_key = $k ORDER BY sequence
            """;
        cmd.Parameters.AddWithValue("$k", streamKey);
        return ReadBatches(cmd);
    }

    public BatchRecord? FindBatchByPath(string path)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT stream_key, sequence, path, rows, bytes, sha256, first_cursor, last_cursor, watermark, created_at, status
            FROM batches WHERE path = $p ORDER BY created_at DESC LIMIT 1
            """;
        cmd.Parameters.AddWithValue("$p", path);
        return ReadBatches(cmd).FirstOrDefault();
    }

    public void MarkConfirmed(string streamKey, long sequence, string? uploadId) =>
        Execute("UPDATE batches SET status = 'Confirmed', upload_id = $u, confirmed_at = $at WHERE stream_key = $k AND sequence = $s",
            null, ("$u", uploadId), ("$at", Now()), ("$k", streamKey), ("$s", sequence));

    public IReadOnlyList<RunRecord> Runs(string streamKey, int last = 20)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT id, started_at, ended_at, status, rows, batches, message FROM runs WHERE stream_key = $k ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$k", streamKey);
        cmd.Parameters.AddWithValue("$n", last);
        using var r = cmd.ExecuteReader();
        var list = new List<RunRecord>();
        while (r.Read())
            list.Add(new RunRecord(r.GetInt64(0), DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture),
                r.IsDBNull(2) ? null : DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture),
                r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6)));
        return list;
    }

    public void Dispose() => _connection.Dispose();

    private static IReadOnlyList<BatchRecord> ReadBatches(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<BatchRecord>();
        while (r.Read())
        {
            list.Add(new BatchRecord(r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7))
            {
                StreamKey = r.GetString(0),
                Watermark = r.IsDBNull(8) ? null : r.GetString(8),
                CreatedAt = DateTimeOffset.Parse(r.GetString(9), CultureInfo.InvariantCulture),
                Status = r.GetString(10),
            });
        }
        return list;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        var result = cmd.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    private int Execute(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }
}
