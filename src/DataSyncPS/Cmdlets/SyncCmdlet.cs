using System.Management.Automation;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>What every DataSyncPS cmdlet does the same way: a cancellation token that Ctrl+C
/// (StopProcessing) trips, engine tasks run with their reports replayed on the pipeline thread, and
/// engine failures turned into error records; and the module's logging (Set-SyncLogging): the run's
/// start, end, warnings and errors (and verbose messages at -Level Verbose) go to the log files and Seq
/// from here, so no cmdlet repeats it.</summary>
public abstract partial class SyncCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    protected CancellationToken StopToken => _stop.Token;

    /// <summary>Cancels the engine when the pipeline is stopping. PowerShell may dispose a command of a
    /// stopped pipeline before it has called that command's StopProcessing (it stops the commands one by
    /// one on another thread), so a disposal must not take the stop for a failure.</summary>
    private protected void CancelIfStopping()
    {
        if (Stopping) _stop.Cancel();
    }

    protected override void BeginProcessing() => _ = Log;

    protected override void EndProcessing() => EndLog(RunStatus.Succeeded);

    // Not disposed in EndProcessing: Ctrl+C can still arrive after it, and a CancellationTokenSource
    // without timers holds nothing that needs disposing.
    protected override void StopProcessing()
    {
        _stop.Cancel();
        // On another thread, while the pipeline thread unwinds: the host may exit soon after.
        if (_log is { } log)
        {
            log.Ended(RunStatus.Stopped);
            log.Flush(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Runs an engine operation to its end, replaying its reports; a failure ends the cmdlet
    /// (terminating) unless it was Ctrl+C.</summary>
    private protected T RunEngine<T>(Func<EngineEventQueue, Task<T>> operation, Action? tick = null, object? target = null)
    {
        var queue = new EngineEventQueue();
        try
        {
            return RunToEnd(queue, operation, tick);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            queue.Drain(this);
            ThrowTerminatingError(SyncErrorRecords.From(ex, target));
            throw; // not reached
        }
    }

    /// <summary>Runs the engine for one input item (a piped source, a path): a failure of that item is a
    /// non-terminating error and the next item goes on (DESIGN contract 6), except failures that no
    /// other item could escape (bad parameters, the state store, a full disk), which end the cmdlet.
    /// Returns false when the item failed; <paramref name="failed"/> sees the error record written.</summary>
    private protected bool RunEngineForItem<T>(Func<EngineEventQueue, Task<T>> operation, out T? result, Action? tick = null, object? target = null,
        Action<ErrorRecord>? failed = null)
    {
        var queue = new EngineEventQueue();
        try
        {
            result = RunToEnd(queue, operation, tick);
            return true;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            queue.Drain(this);
            var record = SyncErrorRecords.From(ex, target);
            failed?.Invoke(record);
            if (ex is SyncException { Kind: var kind } && SyncErrorRecords.EndsEveryItem(kind)) ThrowTerminatingError(record);
            WriteError(record);
            result = default;
            return false;
        }
    }

    private volatile EngineEventQueue? _running;

    /// <summary>A -Verbose line from an engine object that outlives one engine call (a store opened in
    /// BeginProcessing, whose retries happen in whichever call uses it): replayed with that call's reports.
    /// Any thread; a line from outside an engine call has no call to go with and is dropped.</summary>
    private protected void VerboseFromEngine(string message) => _running?.Verbose(message);

    /// <summary>Waits for the engine, replaying its reports; Ctrl+C becomes PipelineStoppedException.</summary>
    private T RunToEnd<T>(EngineEventQueue queue, Func<EngineEventQueue, Task<T>> operation, Action? tick)
    {
        Task<T>? task = null;
        _running = queue;
        try
        {
            task = operation(queue);
            return queue.Run(this, task, tick);
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
            _running = null;
        }
    }

    /// <summary>Runs a quick synchronous engine call (secret and state stores); a failure ends the cmdlet (terminating).</summary>
    private protected T RunEngine<T>(Func<T> operation, object? target = null)
    {
        try
        {
            return operation();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(SyncErrorRecords.From(ex, target));
            throw; // not reached
        }
    }

    /// <summary>A path as PowerShell users mean it: relative to the current location, ~ expanded.</summary>
    protected string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);
}
