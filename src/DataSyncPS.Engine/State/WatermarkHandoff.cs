namespace DataSyncPS.Engine.State;

/// <summary>
/// A collector's new watermark, held until the records it covers are stored by the command after it.
/// The collector (Get-AuvoData -Incremental) attaches it to every record it emits; a writer downstream
/// (Write-SyncTable) claims it on the first record it sees and later says whether every record reached
/// the table. The watermark then moves only when both the collector read its last page and the writer
/// committed its last batch. Unclaimed, it moves when the collector has read its last page, which is
/// the best a collector alone can do. Either side failing leaves it where it was: the next run fetches
/// the same records again, and the upserts find them unchanged.
/// </summary>
public sealed class WatermarkHandoff
{
    private readonly object _gate = new();
    private readonly Action _move;
    private readonly Action<RunStatus, string> _keep;
    private bool _claimed, _collected, _written, _ended;

    /// <param name="stream">What the watermark belongs to, as messages name it ("Auvo customers").</param>
    /// <param name="move">Saves the watermark and ends the run (runs once, on whichever side finishes last).</param>
    /// <param name="keep">Ends the run without moving the watermark.</param>
    public WatermarkHandoff(string stream, Action move, Action<RunStatus, string> keep)
    {
        Stream = stream;
        _move = move;
        _keep = keep;
    }

    public string Stream { get; }

    /// <summary>True when the collection is complete and a writer holding the watermark has not yet said
    /// how its writing ended: the collector leaves its stream locked and its run open for the writer.</summary>
    public bool AwaitsWriter
    {
        get { lock (_gate) return _claimed && _collected && !_ended; }
    }

    /// <summary>A writer takes the watermark; true the first time, and the writer then owes
    /// <see cref="Written"/> or <see cref="NotWritten"/>. False once it has moved or was given up.</summary>
    public bool Claim()
    {
        lock (_gate)
        {
            if (_ended || _claimed) return false;
            _claimed = true;
            return true;
        }
    }

    /// <summary>The collector read its last page: the watermark moves now, unless a writer holds it.</summary>
    public void Collected()
    {
        lock (_gate)
        {
            if (_ended) return;
            _collected = true;
            if (!_claimed || _written) End(_move);
        }
    }

    /// <summary>The collector failed or was stopped: the watermark stays.</summary>
    public void CollectionFailed(RunStatus status, string message)
    {
        lock (_gate)
        {
            if (!_ended) End(() => _keep(status, message));
        }
    }

    /// <summary>The writer stored every record it was given, its last batch committed. True when the
    /// watermark moved with it.</summary>
    public bool Written()
    {
        lock (_gate)
        {
            if (_ended) return false;
            _written = true;
            if (!_collected) return false;
            End(_move);
            return true;
        }
    }

    /// <summary>The writer did not store every record (a batch failed, records rejected, -WhatIf): the
    /// watermark stays, so the next run fetches them again.</summary>
    public void NotWritten(string reason)
    {
        lock (_gate)
        {
            if (!_ended) End(() => _keep(RunStatus.Failed, reason));
        }
    }

    private void End(Action action)
    {
        _ended = true;
        action();
    }
}
