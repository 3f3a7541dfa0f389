using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Schema;

/// <summary>A copy's key ranges in the state store (Copy-DbStructure -StatePath): planned once per table,
/// each marked done when its rows are committed in the target. Workers call it from several threads;
/// the store's one SQLite connection is taken in turn.</summary>
internal sealed class CopyCheckpoints(string? statePath) : IDisposable
{
    private readonly StateStore _store = new(statePath);
    private readonly object _gate = new();

    /// <summary>Marks the ranges this run completes, so a rollback can reopen exactly those.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N");

    public string StatePath => _store.Path;

    /// <summary>A table's copy is known by source, target and table: the same copy run again finds its ranges.</summary>
    public static string KeyOf(SyncSource source, SyncSource target, DbTable table) => $"{source.Identity} -> {target.Identity} {table.TableName}";

    /// <summary>The ranges stored for a copy, with the rows of those done; empty when it has none.</summary>
    public IReadOnlyList<(KeyRange Range, long? Rows)> Stored(string key)
    {
        lock (_gate)
            return _store.CopyRanges(key)
                .Select(r => (new KeyRange(r.Index, KeyRange.Load(r.Lower), KeyRange.Load(r.Upper)), r.Done ? r.Rows : null))
                .ToList();
    }

    /// <summary>Whether an earlier run completed a range of this copy (its table is then resumed, not emptied).</summary>
    public bool HasDoneRanges(string key) => Stored(key).Any(r => r.Rows is not null);

    public void Plan(string key, IReadOnlyList<KeyRange> ranges)
    {
        lock (_gate) _store.PlanCopyRanges(key, ranges.Select(r => (KeyRange.Store(r.Lower), KeyRange.Store(r.Upper))).ToList());
    }

    public void Complete(string key, KeyRange range, long rows)
    {
        lock (_gate) _store.CompleteCopyRange(key, range.Index, rows, RunId);
    }

    /// <summary>The target went back to before this run: the ranges it completed are to be done again.</summary>
    public void ReopenRun()
    {
        lock (_gate) _store.ReopenCopyRanges(RunId);
    }

    public void Forget(string key)
    {
        lock (_gate) _store.ForgetCopyRanges(key);
    }

    public void Dispose() => _store.Dispose();
}
