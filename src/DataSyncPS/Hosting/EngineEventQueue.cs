using System.Collections.Concurrent;
using System.Management.Automation;
using DataSyncPS.Cmdlets;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Hosting;

/// <summary>
/// The engine reports from worker threads; PowerShell accepts output only on the pipeline thread.
/// This queue takes the engine's reports and replays them on the cmdlet's thread, while it waits for the
/// engine's task, through the cmdlet's logging WriteVerbose/WriteWarning/WriteError. Batches reach the next cmdlet as soon as they close, so an uploader downstream
/// overlaps with extraction.
/// </summary>
internal sealed class EngineEventQueue : ISyncObserver
{
    private readonly ConcurrentQueue<Action<SyncCmdlet>> _events = new();
    private readonly SemaphoreSlim _signal = new(0);

    public void Batch(SyncBatch batch) => Enqueue(c =>
    {
        c.LogBatch(batch);
        c.WriteObject(batch);
    });
    public void Verbose(string message) => Enqueue(c => c.WriteVerbose(message));
    public void Information(string message) => Enqueue(c => c.WriteInformationVerbose(message));
    public void Warning(string message) => Enqueue(c => c.WriteWarning(message));
    public void ItemError(SyncException error) => Enqueue(c => c.WriteError(SyncErrorRecords.From(error)));

    /// <summary>Any other report of the engine (a result object a cmdlet writes as it comes), replayed in order with the rest.</summary>
    public void Post(Action<SyncCmdlet> report) => Enqueue(report);

    /// <summary>Replays what is queued.</summary>
    public void Drain(SyncCmdlet cmdlet)
    {
        while (_events.TryDequeue(out var e)) e(cmdlet);
    }

    /// <summary>Replays reports until the task ends, calling <paramref name="tick"/> a few times a
    /// second (progress) and returning the task's result or throwing its exception.</summary>
    public T Run<T>(SyncCmdlet cmdlet, Task<T> task, Action? tick = null, int tickMilliseconds = 250)
    {
        // Wakes as the task ends, not at the next tick: a task that reports nothing would otherwise
        // cost up to a tick each time (one per batch of a writer).
        if (!task.IsCompleted)
            task.ContinueWith(static (_, signal) => ((SemaphoreSlim)signal!).Release(), _signal, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (true)
        {
            Drain(cmdlet);
            if (task.IsCompleted) break;
            _signal.Wait(tickMilliseconds);
            tick?.Invoke();
        }
        Drain(cmdlet);
        return task.GetAwaiter().GetResult();
    }

    private void Enqueue(Action<SyncCmdlet> e)
    {
        _events.Enqueue(e);
        _signal.Release();
    }
}
