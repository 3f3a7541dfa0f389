namespace DataSyncPS.Engine.State;

/// <summary>Copy-DbStructure's checkpoints: the key ranges a table copy was split into, each marked done
/// once its rows are committed in the target, so a copy killed mid-table resumes with the done ranges
/// skipped. A copy is named by its key (source, target and table).</summary>
public sealed partial class StateStore
{
    public IReadOnlyList<CopyRangeRecord> CopyRanges(string copyKey) => Guard(() =>
    {
        using var cmd = Command("SELECT range_index, lower_key, upper_key, rows, done_run FROM copy_ranges WHERE copy_key = $k ORDER BY range_index",
            null, ("$k", copyKey));
        using var r = cmd.ExecuteReader();
        var list = new List<CopyRangeRecord>();
        while (r.Read())
            list.Add(new CopyRangeRecord(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4)));
        return list;
    });

    /// <summary>Records a copy's ranges, none done, in place of any it had.</summary>
    public void PlanCopyRanges(string copyKey, IReadOnlyList<(string? Lower, string? Upper)> ranges) => Guard(() =>
    {
        using var tx = _connection.BeginTransaction();
        Execute("DELETE FROM copy_ranges WHERE copy_key = $k", tx, ("$k", copyKey));
        for (var i = 0; i < ranges.Count; i++)
            Execute("INSERT INTO copy_ranges (copy_key, range_index, lower_key, upper_key) VALUES ($k, $i, $lo, $hi)", tx,
                ("$k", copyKey), ("$i", i), ("$lo", ranges[i].Lower), ("$hi", ranges[i].Upper));
        tx.Commit();
        return 0;
    });

    public void CompleteCopyRange(string copyKey, int index, long rows, string runId) => Guard(() =>
        Execute("UPDATE copy_ranges SET rows = $r, done_run = $run, done_at = $at WHERE copy_key = $k AND range_index = $i", null,
            ("$r", rows), ("$run", runId), ("$at", Now()), ("$k", copyKey), ("$i", index)));

    /// <summary>Un-marks the ranges a run completed (its target was restored to before it).</summary>
    public int ReopenCopyRanges(string runId) => Guard(() =>
        Execute("UPDATE copy_ranges SET rows = NULL, done_run = NULL, done_at = NULL WHERE done_run = $run", null, ("$run", runId)));

    public int ForgetCopyRanges(string copyKey) => Guard(() =>
        Execute("DELETE FROM copy_ranges WHERE copy_key = $k", null, ("$k", copyKey)));
}
