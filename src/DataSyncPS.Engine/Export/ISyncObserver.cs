using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>What a running engine operation tells its caller. Called from worker threads; the cmdlets
/// queue these and replay them on the pipeline thread.</summary>
public interface ISyncObserver
{
    void Batch(SyncBatch batch);
    void Verbose(string message);
    /// <summary>A milestone an admin's run log keeps (a step done, a table copied), shown like a verbose
    /// message; logged at Information where Verbose messages are logged only at -Level Verbose.</summary>
    void Information(string message) => Verbose(message);
    void Warning(string message);
    /// <summary>A per-item failure the operation went on after (a corrupt log entry, say).</summary>
    void ItemError(SyncException error);
}
