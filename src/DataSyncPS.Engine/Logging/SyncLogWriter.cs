using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Notify;

namespace DataSyncPS.Engine.Logging;

/// <summary>
/// Takes events from any thread without blocking (a bounded queue; when it is full the event is
/// dropped and counted) and writes them, in order, from a background task to the daily log file and
/// to Seq. Seq gets one short attempt per group of events; when it fails, it is left alone for a
/// minute (its events are dropped, the files still have them), so a dead Seq never holds a run up.
/// Problems (a folder not writable, Seq down, events dropped) are handed out once each by
/// <see cref="TakeProblems"/>, for the caller to show as warnings.
/// </summary>
public sealed class SyncLogWriter
{
    public const int Capacity = 10_000;
    private const int GroupSize = 500;
    public static readonly TimeSpan SeqPause = TimeSpan.FromMinutes(1);

    private static readonly ConcurrentDictionary<string, SyncLogWriter> Shared = new();

    private readonly Channel<SyncLogEvent> _queue = Channel.CreateBounded<SyncLogEvent>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly RollingLogFile? _file;
    private readonly SeqClefSender? _seq;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly HashSet<string> _reported = new();
    private long _accepted;
    private long _written;
    private long _dropped;
    private bool _droppedReported;
    private DateTimeOffset _seqPausedUntil = DateTimeOffset.MinValue;

    public SyncLogWriter(RollingLogFile? file, SeqClefSender? seq, TimeProvider? clock = null)
    {
        _file = file;
        _seq = seq;
        _clock = clock ?? TimeProvider.System;
        _ = Task.Run(PumpAsync);
    }

    public RollingLogFile? File => _file;
    public SeqClefSender? Seq => _seq;
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>One writer per folder, format, retention, Seq and key in the process, so every cmdlet of
    /// every session shares its order, its pause of a dead Seq and its once-only problems.</summary>
    public static SyncLogWriter For(SyncLoggingSetting setting, string? seqApiKey)
    {
        var key = string.Join('|', setting.Path, setting.Format, setting.RetainDays, setting.SeqUrl?.AbsoluteUri,
            seqApiKey is null ? "" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seqApiKey))));
        return Shared.GetOrAdd(key, _ => new SyncLogWriter(
            setting.Path is null ? null : new RollingLogFile(setting.Path, setting.Format, setting.RetainDays),
            setting.SeqUrl is null ? null : new SeqClefSender(setting.SeqUrl, seqApiKey)));
    }

    /// <summary>Queues an event; never blocks.</summary>
    public void Write(SyncLogEvent e)
    {
        if (_queue.Writer.TryWrite(e)) Interlocked.Increment(ref _accepted);
        else Interlocked.Increment(ref _dropped);
    }

    /// <summary>Waits until the events queued before this call are written (or given up on), at most
    /// <paramref name="limit"/>; false when the limit came first.</summary>
    public bool Flush(TimeSpan limit)
    {
        var target = Interlocked.Read(ref _accepted);
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        lock (_gate)
        {
            while (Interlocked.Read(ref _written) < target)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }
        }
        return true;
    }

    /// <summary>How long a flush may take: Seq's timeout and a margin for the file.</summary>
    public TimeSpan FlushLimit => (_seq?.Timeout ?? TimeSpan.Zero) + TimeSpan.FromSeconds(2);

    /// <summary>Problems not handed out before.</summary>
    public IReadOnlyList<string> TakeProblems()
    {
        if (!_droppedReported && Dropped > 0)
        {
            _droppedReported = true;
            Report("dropped", $"Logging fell behind and dropped {Dropped:N0} event(s); the PowerShell streams have them all.");
        }
        var list = new List<string>();
        while (_problems.TryDequeue(out var p)) list.Add(p);
        return list;
    }

    /// <summary>Queues a problem unless one of its kind (file, seq, dropped) was reported before.</summary>
    private void Report(string kind, string problem)
    {
        lock (_reported)
        {
            if (!_reported.Add(kind)) return;
        }
        _problems.Enqueue(problem);
    }

    private async Task PumpAsync()
    {
        var group = new List<SyncLogEvent>(GroupSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < GroupSize && _queue.Reader.TryRead(out var e)) group.Add(e);
            if (group.Count == 0) continue;
            WriteFile(group);
            await SendSeqAsync(group).ConfigureAwait(false);
            Interlocked.Add(ref _written, group.Count);
            lock (_gate) Monitor.PulseAll(_gate);
        }
    }

    private void WriteFile(List<SyncLogEvent> group)
    {
        if (_file is null) return;
        try { _file.Append(group); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            Report("file", $"Log files cannot be written in '{_file.Folder}': {ex.Message}");
        }
    }

    private async Task SendSeqAsync(List<SyncLogEvent> group)
    {
        if (_seq is null || _clock.GetUtcNow() < _seqPausedUntil) return;
        try
        {
            await _seq.SendAsync(group).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _seqPausedUntil = _clock.GetUtcNow() + SeqPause;
            var why = ex is SyncException s ? s.Message : $"{ex.GetType().Name}: {ex.Message}";
            Report("seq", $"Log events are not reaching Seq ({why}); they are in the log files and the PowerShell streams. Seq is tried again in a minute.");
            // The file is where an admin looks for why Seq is empty.
            if (_file is not null)
            {
                try
                {
                    _file.Append([new SyncLogEvent { Timestamp = _clock.GetUtcNow(), Level = SyncLogLevel.Warning, Message = $"Seq at {EndpointText.Mask(_seq.Endpoint)} did not take {group.Count} event(s): {why}" }]);
                }
                catch (Exception) { }
            }
        }
    }
}
