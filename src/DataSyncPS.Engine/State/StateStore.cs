using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Engine.State;

/// <summary>
/// Watermarks, the batch outbox and run history in one SQLite file. A batch record and the watermark it
/// advances are written in one transaction (DESIGN contract 2). State stays small: one row per stream,
/// one per batch, one per run, and confirmed records can be pruned (<see cref="Prune"/>): the next
/// sequence of a stream is kept on the stream, not worked out from its batches.
/// A file that exists but is not a readable store is an error, never a fresh start (contract 10).
/// </summary>
public sealed partial class StateStore : IDisposable
{
    private readonly SqliteConnection _connection;

    public StateStore(string? path = null)
    {
        Path = System.IO.Path.GetFullPath(path ?? DefaultPath);
        _connection = StateFile.Open(Path);
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

    /// <summary>Opens a store that must exist already (for reading and administering it): a missing file
    /// is PathNotFound, not a new empty store.</summary>
    public static StateStore OpenExisting(string? path)
    {
        var full = System.IO.Path.GetFullPath(path ?? DefaultPath);
        if (!File.Exists(full))
            throw new SyncException(SyncErrorKind.PathNotFound, $"There is no state store at '{full}' (no export has run with it yet).", target: full);
        return new StateStore(full);
    }

    /// <summary>Takes the stream's lock: one exporter per stream, whatever folder it writes to.</summary>
    public StreamLock LockStream(StreamKey key, string displayName) => StreamLock.Acquire(this, key, displayName);

    public string? GetWatermark(StreamKey key) => GetWatermark(key.Text);

    public string? GetWatermark(string streamKey) => Guard(() =>
        Scalar("SELECT watermark FROM streams WHERE stream_key = $k", ("$k", streamKey)) as string);

    public bool StreamExists(StreamKey key) => Guard(() =>
        Scalar("SELECT 1 FROM streams WHERE stream_key = $k", ("$k", key.Text)) is not null);

    /// <summary>The sequence the stream's next batch gets. Sequences of a stream only grow; they can
    /// have gaps (a file name taken by something else is skipped, never replaced).</summary>
    public long NextSequence(StreamKey key) => Guard(() => Convert.ToInt64(Scalar("""
        SELECT COALESCE((SELECT next_sequence FROM streams WHERE stream_key = $k),
                        (SELECT MAX(sequence) + 1 FROM batches WHERE stream_key = $k), 1)
        """, ("$k", key.Text)), CultureInfo.InvariantCulture));

    /// <summary>Records a batch and, in the same transaction, moves the stream's watermark (when
    /// <paramref name="newWatermark"/> is given) and its next sequence. A batch file is recorded Written (the
    /// outbox); a batch delivered before it is recorded (Sync-Plusoft) is recorded Confirmed or Rejected.</summary>
    public void CommitBatch(StreamKey key, string displayName, BatchRecord batch, string? newWatermark,
        BatchStatus status = BatchStatus.Written, string? uploadId = null) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction();
        UpsertStream(key, displayName, tx);
        var at = Now();
        Execute("""
            INSERT INTO batches (stream_key, sequence, path, rows, bytes, sha256, first_cursor, last_cursor, watermark, created_at, status,
                                 upload_id, confirmed_at, first_key)
            VALUES ($k, $seq, $path, $rows, $bytes, $sha, $first, $last, $wm, $at, $st, $u, $cat, $fk)
            """, tx,
            ("$k", key.Text), ("$seq", batch.Sequence), ("$path", batch.Path), ("$rows", batch.Rows),
            ("$bytes", batch.Bytes), ("$sha", batch.Sha256), ("$first", batch.FirstCursor), ("$last", batch.LastCursor),
            ("$wm", newWatermark), ("$at", at), ("$st", status.ToString()), ("$u", uploadId),
            ("$cat", status == BatchStatus.Confirmed ? at : null), ("$fk", batch.FirstKey));
        Execute("""
            UPDATE streams SET next_sequence = MAX(COALESCE(next_sequence, 0), $next), updated_at = $at,
                               watermark = CASE WHEN $wm IS NULL THEN watermark ELSE $wm END
            WHERE stream_key = $k
            """, tx, ("$k", key.Text), ("$next", batch.Sequence + 1), ("$wm", newWatermark), ("$at", Now()));
        tx.Commit();
        return 0;
    });

    public void SetWatermark(StreamKey key, string displayName, string? watermark) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction();
        UpsertStream(key, displayName, tx);
        Execute("UPDATE streams SET watermark = $wm, updated_at = $at WHERE stream_key = $k", tx,
            ("$k", key.Text), ("$wm", watermark), ("$at", Now()));
        tx.Commit();
        return 0;
    });

    /// <summary>Forgets a stream's position so the next export starts over. Batch records stay, so
    /// sequences keep growing and unsent batches are still sent.</summary>
    public bool ResetStream(StreamKey key) => ResetStream(key.Text);

    /// <summary>Resets a stream under its lock, so a reset never lands in the middle of a running export.</summary>
    public bool ResetStreamExclusively(StreamKey key, string displayName)
    {
        using var streamLock = LockStream(key, displayName);
        return ResetStream(key);
    }

    public bool ResetStream(string streamKey) => Guard(() =>
        Execute("UPDATE streams SET watermark = NULL, updated_at = $at WHERE stream_key = $k", null, ("$k", streamKey), ("$at", Now())) > 0);

    /// <summary>Moves a stream kept under an earlier spelling of its key (before keys were canonical) to
    /// its canonical key, so an upgrade continues from the old watermark instead of starting over.
    /// Does nothing when the canonical key is already known or the old one is not.</summary>
    public bool AdoptStream(StreamKey from, StreamKey to) => Guard(() =>
    {
        if (from.Text == to.Text) return false;
        using var tx = _connection.BeginTransaction();
        var known = Scalar("SELECT 1 FROM streams WHERE stream_key = $k", tx, ("$k", to.Text)) is not null;
        var old = Scalar("SELECT 1 FROM streams WHERE stream_key = $k", tx, ("$k", from.Text)) is not null;
        if (known || !old) return false;
        Execute("UPDATE streams SET stream_key = $to, source = $src, stream = $s WHERE stream_key = $from", tx,
            ("$to", to.Text), ("$src", to.Source), ("$s", to.Stream), ("$from", from.Text));
        Execute("UPDATE batches SET stream_key = $to WHERE stream_key = $from", tx, ("$to", to.Text), ("$from", from.Text));
        Execute("UPDATE runs SET stream_key = $to WHERE stream_key = $from", tx, ("$to", to.Text), ("$from", from.Text));
        tx.Commit();
        return true;
    });

    public long StartRun(StreamKey key) => Guard(() =>
        Convert.ToInt64(Scalar("INSERT INTO runs (stream_key, started_at, status) VALUES ($k, $at, 'Running') RETURNING id",
            ("$k", key.Text), ("$at", Now())), CultureInfo.InvariantCulture));

    public void EndRun(long runId, RunStatus status, long rows, long batches, string? message) => Guard(() =>
        Execute("UPDATE runs SET ended_at = $at, status = $st, rows = $r, batches = $b, message = $m WHERE id = $id", null,
            ("$at", Now()), ("$st", status.ToString()), ("$r", rows), ("$b", batches), ("$m", message), ("$id", runId)));

    /// <summary>Batch files written but not confirmed, oldest first: the outbox. <paramref name="stream"/>
    /// matches a stream's name or its canonical name. Batches an API rejected are not files to send: see
    /// <see cref="RejectedBatches"/>.</summary>
    public IReadOnlyList<BatchRecord> PendingBatches(string? stream = null) => Guard(() => ReadBatches(
        "b.status = 'Written' AND ($s IS NULL OR s.name = $s OR s.stream = $s) ORDER BY b.stream_key, b.sequence", ("$s", stream)));

    /// <summary>A stream's batches the API refused, oldest first (Sync-Plusoft -Pending retries them).</summary>
    public IReadOnlyList<BatchRecord> RejectedBatches(StreamKey key) => Guard(() => ReadBatches(
        "b.stream_key = $k AND b.status = 'Rejected' ORDER BY b.sequence", ("$k", key.Text)));

    /// <summary>A rejected batch delivered at last: confirmed, with what was sent this time (its rows may
    /// have been fixed, or moved on, since).</summary>
    public void MarkRedelivered(StreamKey key, long sequence, long rows, long bytes, string sha256, string? uploadId) => Guard(() =>
        Execute("""
            UPDATE batches SET status = 'Confirmed', upload_id = $u, confirmed_at = $at, rows = $r, bytes = $b, sha256 = $sha
            WHERE stream_key = $k AND sequence = $s
            """, null, ("$u", uploadId), ("$at", Now()), ("$r", rows), ("$b", bytes), ("$sha", sha256), ("$k", key.Text), ("$s", sequence)));

    public IReadOnlyList<BatchRecord> Batches(StreamKey key) => Batches(key.Text);

    public IReadOnlyList<BatchRecord> Batches(string streamKey) => Guard(() => ReadBatches(
        "b.stream_key = $k ORDER BY b.sequence", ("$k", streamKey)));

    public BatchRecord? FindBatchByPath(string path) => Guard(() => ReadBatches(
        "b.path = $p ORDER BY b.created_at DESC LIMIT 1", ("$p", path)).FirstOrDefault());

    public void MarkConfirmed(string streamKey, long sequence, string? uploadId) => Guard(() =>
        Execute("UPDATE batches SET status = 'Confirmed', upload_id = $u, confirmed_at = $at WHERE stream_key = $k AND sequence = $s",
            null, ("$u", uploadId), ("$at", Now()), ("$k", streamKey), ("$s", sequence)));

    public IReadOnlyList<RunRecord> Runs(StreamKey key, int last = 20) => Runs(key.Text, last);

    public IReadOnlyList<RunRecord> Runs(string streamKey, int last = 20) => Guard(() =>
    {
        using var cmd = Command("SELECT id, started_at, ended_at, status, rows, batches, message FROM runs WHERE stream_key = $k ORDER BY id DESC LIMIT $n",
            null, ("$k", streamKey), ("$n", last));
        using var r = cmd.ExecuteReader();
        var list = new List<RunRecord>();
        while (r.Read())
            list.Add(new RunRecord(r.GetInt64(0), Time(r.GetString(1)), r.IsDBNull(2) ? null : Time(r.GetString(2)),
                Enum.Parse<RunStatus>(r.GetString(3)), r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6)));
        return list;
    });

    /// <summary>Every stream of the store with its position, outbox and last run, by name.</summary>
    public IReadOnlyList<SyncStreamState> Streams() => Guard(() =>
    {
        using var cmd = Command("""
            SELECT s.stream_key, s.source, s.stream, COALESCE(s.name, s.stream), s.watermark, s.updated_at,
                   COALESCE(s.next_sequence, (SELECT MAX(sequence) + 1 FROM batches b WHERE b.stream_key = s.stream_key), 1),
                   (SELECT COUNT(*) FROM batches b WHERE b.stream_key = s.stream_key AND b.status <> 'Confirmed'),
                   (SELECT COALESCE(SUM(rows), 0) FROM batches b WHERE b.stream_key = s.stream_key AND b.status <> 'Confirmed'),
                   (SELECT COALESCE(SUM(bytes), 0) FROM batches b WHERE b.stream_key = s.stream_key AND b.status <> 'Confirmed'),
                   (SELECT COUNT(*) FROM batches b WHERE b.stream_key = s.stream_key AND b.status = 'Confirmed'),
                   r.started_at, r.ended_at, r.status, r.rows, r.message
            FROM streams s
            LEFT JOIN runs r ON r.id = (SELECT MAX(id) FROM runs x WHERE x.stream_key = s.stream_key)
            ORDER BY COALESCE(s.name, s.stream), s.source
            """, null);
        using var r = cmd.ExecuteReader();
        var list = new List<SyncStreamState>();
        while (r.Read())
        {
            list.Add(new SyncStreamState
            {
                StreamKey = r.GetString(0),
                Source = r.GetString(1),
                CanonicalName = r.GetString(2),
                Stream = r.GetString(3),
                Watermark = r.IsDBNull(4) ? null : WatermarkText.Display(r.GetString(4)),
                UpdatedAt = Time(r.GetString(5)),
                NextSequence = r.GetInt64(6),
                PendingBatches = r.GetInt64(7),
                PendingRows = r.GetInt64(8),
                PendingBytes = r.GetInt64(9),
                ConfirmedBatches = r.GetInt64(10),
                LastRunStartedAt = r.IsDBNull(11) ? null : Time(r.GetString(11)),
                LastRunEndedAt = r.IsDBNull(12) ? null : Time(r.GetString(12)),
                LastRunStatus = r.IsDBNull(13) ? null : Enum.Parse<RunStatus>(r.GetString(13)),
                LastRunRows = r.IsDBNull(14) ? null : r.GetInt64(14),
                LastRunMessage = r.IsDBNull(15) ? null : r.GetString(15),
                StatePath = Path,
            });
        }
        return list;
    });

    /// <summary>Removes confirmed batch records and ended runs older than <paramref name="before"/>:
    /// what a daily job would otherwise accumulate. Written (unsent) batches and each stream's latest run
    /// are always kept. Returns how many batch records and runs went.</summary>
    public (int Batches, int Runs) Prune(DateTimeOffset before) => Guard(() =>
    {
        var cutoff = before.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        using var tx = _connection.BeginTransaction();
        // Keep every stream's next sequence before its batch records go (stores written before it was kept).
        Execute("""
            UPDATE streams SET next_sequence = (SELECT MAX(sequence) + 1 FROM batches b WHERE b.stream_key = streams.stream_key)
            WHERE next_sequence IS NULL AND EXISTS (SELECT 1 FROM batches b WHERE b.stream_key = streams.stream_key)
            """, tx);
        var batches = Execute("DELETE FROM batches WHERE status = 'Confirmed' AND confirmed_at < $c", tx, ("$c", cutoff));
        var runs = Execute("""
            DELETE FROM runs WHERE ended_at IS NOT NULL AND ended_at < $c
              AND id <> (SELECT MAX(id) FROM runs x WHERE x.stream_key = runs.stream_key)
            """, tx, ("$c", cutoff));
        tx.Commit();
        return (batches, runs);
    });

    public void Dispose() => _connection.Dispose();

    private void UpsertStream(StreamKey key, string displayName, SqliteTransaction tx) =>
        Execute("""
            INSERT INTO streams (stream_key, source, stream, name, watermark, updated_at, next_sequence)
            VALUES ($k, $src, $s, $n, NULL, $at, (SELECT MAX(sequence) + 1 FROM batches WHERE stream_key = $k))
            ON CONFLICT (stream_key) DO UPDATE SET name = excluded.name
            """, tx, ("$k", key.Text), ("$src", key.Source), ("$s", key.Stream), ("$n", displayName), ("$at", Now()));

    private IReadOnlyList<BatchRecord> ReadBatches(string where, params (string Name, object? Value)[] args)
    {
        using var cmd = Command($"""
            SELECT b.stream_key, b.sequence, b.path, b.rows, b.bytes, b.sha256, b.first_cursor, b.last_cursor, b.watermark,
                   b.created_at, b.status, COALESCE(s.name, s.stream, ''), b.first_key
            FROM batches b LEFT JOIN streams s ON s.stream_key = b.stream_key
            WHERE {where}
            """, null, args);
        using var r = cmd.ExecuteReader();
        var list = new List<BatchRecord>();
        while (r.Read())
        {
            list.Add(new BatchRecord(r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7))
            {
                StreamKey = r.GetString(0),
                Watermark = r.IsDBNull(8) ? null : r.GetString(8),
                CreatedAt = Time(r.GetString(9)),
                Status = Enum.Parse<BatchStatus>(r.GetString(10)),
                Stream = r.GetString(11),
                FirstKey = r.IsDBNull(12) ? null : r.GetString(12),
            });
        }
        return list;
    }

    /// <summary>Every failure of the store reaches the caller as StateStoreFailed naming the file,
    /// never as a raw SQLite error (a damaged page can surface on any statement, not just at open).</summary>
    private T Guard<T>(Func<T> operation)
    {
        try { return operation(); }
        catch (SqliteException ex) { throw StateFile.Failure(Path, ex); }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] args)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] args) => Scalar(sql, null, args);

    private object? Scalar(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(sql, tx, args);
        var result = cmd.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    private int Execute(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(sql, tx, args);
        return cmd.ExecuteNonQuery();
    }
}
