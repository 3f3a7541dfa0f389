using System.Management.Automation;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>What every DataSyncPS cmdlet does the same way: a cancellation token that Ctrl+C
/// (StopProcessing) trips, engine tasks run with their reports replayed on the pipeline thread, and
/// engine failures turned into error records.</summary>
public abstract class SyncCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    protected CancellationToken StopToken => _stop.Token;

    // Not disposed in EndProcessing: Ctrl+C can still arrive after it, and a CancellationTokenSource
    // without timers holds nothing that needs disposing.
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs an engine operation to its end, replaying its reports; a failure ends the cmdlet
    /// (terminating) unless it was Ctrl+C.</summary>
    private protected T RunEngine<T>(Func<EngineEventQueue, Task<T>> operation, Action? tick = null, object? target = null)
    {
        var queue = new EngineEventQueue();
        Task<T>? task = null;
        try
        {
            task = operation(queue);
            return queue.Run(this, task, tick);
        }
        catch (SyncException ex)
        {
            queue.Drain(this);
            ThrowTerminatingError(SyncErrorRecords.From(ex, target));
            throw; // not reached
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            // Output refused (a stopping pipeline throws from WriteObject and WriteProgress) ends the
            // cmdlet before the engine: stop the engine and let it discard its open batch and record the
            // run, before the pipeline ends and a host process exits under it.
            if (task is { IsCompleted: false })
            {
                _stop.Cancel();
                Task.WaitAny(task);
            }
        }
    }

    /// <summary>Runs a quick synchronous engine call (secret stores); a failure ends the cmdlet (terminating).</summary>
    private protected T RunEngine<T>(Func<T> operation, object? target = null)
    {
        try
        {
            return operation();
        }
        catch (SyncException ex)
        {
            ThrowTerminatingError(SyncErrorRecords.From(ex, target));
            throw; // not reached
        }
    }

    /// <summary>A path as PowerShell users mean it: relative to the current location, ~ expanded.</summary>
    protected string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);
}
