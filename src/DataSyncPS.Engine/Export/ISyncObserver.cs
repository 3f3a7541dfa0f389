using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>What a running engine operation tells its caller. Called from worker threads; the cmdlets
/// queue these and replay them on the pipeline thread.</summary>
public interface ISyncObserver
{
    void Batch(SyncBatch batch);
    void Verbose(string message);
    void Warning(string message);
    /// <summary>A per-item failure the operation went on after (a corrupt log entry, say).</summary>
    void ItemError(SyncException error);
}
