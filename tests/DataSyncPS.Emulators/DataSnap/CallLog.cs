using System.Globalization;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>One call as the emulator saw it. Status is null when no response was sent (a dropped connection).</summary>
public sealed record CallRecord(DateTimeOffset At, CallKind Kind, string Method, string Path, int? Status, string? Fault, string Key)
{
    public Dictionary<string, object?> ToJson() => new()
    {
        ["at"] = At,
        ["kind"] = FaultRule.Name(Kind),
        ["method"] = Method,
        ["path"] = Path,
        ["status"] = Status,
        ["fault"] = Fault,
        ["key"] = Key,
    };
}

/// <summary>
/// Every call, kept in memory (the last 10,000) for <c>GET /_emulator/calls</c>, and one line each
/// on stdout in standalone mode. Paths carry no query string (a presigned URL's signature stays out)
/// and the API key is never written: only whether it was valid, wrong or missing.
/// </summary>
public sealed class CallLog(bool toConsole)
{
    private const int Capacity = 10_000;
    private readonly Lock gate = new();
    private readonly Queue<CallRecord> calls = new();

    public void Add(CallKind kind, string method, string path, int? status, FaultRule? fault, string key)
    {
        var record = new CallRecord(DateTimeOffset.UtcNow, kind, method, path, status, fault?.ToString(), key);
        lock (gate)
        {
            calls.Enqueue(record);
            if (calls.Count > Capacity) calls.Dequeue();
        }
        if (toConsole)
        {
            var answer = status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "no response";
            var line = $"{record.At.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {method,-6} {path} -> {answer} key={key}"
                + (fault is null ? "" : $" fault={fault}");
            Console.Out.WriteLine(line);
        }
    }

    public List<CallRecord> Snapshot()
    {
        lock (gate) return calls.ToList();
    }

    public void Clear()
    {
        lock (gate) calls.Clear();
    }
}
