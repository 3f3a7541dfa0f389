using System.Diagnostics;

namespace DataSyncPS.Engine.Logging;

/// <summary>
/// One cmdlet invocation as the logs see it: a run id, the cmdlet's name, the stream it works on and
/// its counts so far (rows, batches, bytes, time since it started), which every event carries. The
/// cmdlets report per batch and per run, never per row, and writing only queues the event.
/// </summary>
public sealed class LogRun
{
    private readonly SyncLogWriter _writer;
    private readonly TimeProvider _clock;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _rows;
    private long _batches;
    private long _bytes;
    private int _errors;
    private int _ended;

    public LogRun(SyncLogWriter writer, SyncLogLevel minimum, string cmdlet, TimeProvider? clock = null)
    {
        _writer = writer;
        _clock = clock ?? TimeProvider.System;
        Minimum = minimum;
        Cmdlet = cmdlet;
    }

    public string RunId { get; } = Guid.NewGuid().ToString();
    public string Cmdlet { get; }
    public SyncLogLevel Minimum { get; }

    /// <summary>The stream the cmdlet is working on now; events that name none carry this one.</summary>
    public string? Stream { get; set; }

    public long Rows => Interlocked.Read(ref _rows);
    public long Batches => Interlocked.Read(ref _batches);
    public long Bytes => Interlocked.Read(ref _bytes);
    public int Errors => Volatile.Read(ref _errors);
    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    public void Count(long rows, long batches, long bytes)
    {
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _batches, batches);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Started(string? parameters) => Write(SyncLogLevel.Information, $"{Cmdlet} started" + (string.IsNullOrEmpty(parameters) ? "." : $": {parameters}"),
        properties: new Dictionary<string, object?>
        {
            ["MachineName"] = Environment.MachineName,
            ["UserName"] = Environment.UserName,
            ["ProcessId"] = Environment.ProcessId,
        });

    public void Write(SyncLogLevel level, string message, string? stream = null, string? errorId = null, IReadOnlyDictionary<string, object?>? properties = null)
    {
        if (level < Minimum) return;
        _writer.Write(new SyncLogEvent
        {
            Timestamp = _clock.GetUtcNow(),
            Level = level,
            Message = message,
            Cmdlet = Cmdlet,
            RunId = RunId,
            Stream = stream ?? Stream,
            Rows = Rows,
            Batches = Batches,
            Bytes = Bytes,
            Duration = _elapsed.Elapsed,
            ErrorId = errorId,
            Properties = properties,
        });
    }

    public void Error(string message, string errorId, string? stream = null, IReadOnlyDictionary<string, object?>? properties = null)
    {
        Interlocked.Increment(ref _errors);
        Write(SyncLogLevel.Error, message, stream, errorId, properties);
    }

    /// <summary>The run's last event, once: how it ended (Status: Succeeded, CompletedWithErrors, Failed,
    /// Stopped) and its totals.</summary>
    public void Ended(RunStatus status)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        var level = status switch
        {
            RunStatus.Failed => SyncLogLevel.Error,
            RunStatus.Stopped => SyncLogLevel.Warning,
            _ => Errors > 0 ? SyncLogLevel.Warning : SyncLogLevel.Information,
        };
        var word = status switch { RunStatus.Failed => "failed", RunStatus.Stopped => "was stopped", _ => "completed" };
        // Non-terminating errors (a source of several, a batch not delivered): the cmdlet went on to its end.
        var outcome = status == RunStatus.Succeeded && Errors > 0 ? "CompletedWithErrors" : status.ToString();
        var counts = Batches > 0 || Rows > 0 ? $": {Rows:N0} row(s) in {Batches:N0} batch(es), {Bytes:N0} bytes" : "";
        var errors = Errors > 0 ? $", {Errors:N0} error(s)" : "";
        Write(level, $"{Cmdlet} {word}{counts}{errors} in {_elapsed.Elapsed.TotalSeconds:N1}s.",
            properties: new Dictionary<string, object?> { ["Status"] = outcome, ["Errors"] = Errors });
    }

    public bool Flush() => _writer.Flush(_writer.FlushLimit);

    public bool Flush(TimeSpan limit) => _writer.Flush(limit);

    public IReadOnlyList<string> TakeProblems() => _writer.TakeProblems();
}
