using System.Collections.Concurrent;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Infrastructure;

/// <summary>Keeps everything an engine operation reported, for assertions.</summary>
public sealed class RecordingObserver : ISyncObserver
{
    public ConcurrentQueue<SyncBatch> Batches { get; } = new();
    public ConcurrentQueue<string> VerboseMessages { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<SyncException> Errors { get; } = new();

    public void Batch(SyncBatch batch) => Batches.Enqueue(batch);
    public void Verbose(string message) => VerboseMessages.Enqueue(message);
    public void Warning(string message) => Warnings.Enqueue(message);
    public void ItemError(SyncException error) => Errors.Enqueue(error);
}
