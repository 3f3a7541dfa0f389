namespace DataSyncPS.Emulators.Auvo;

/// <summary>What an injected fault does to an Auvo call.</summary>
public enum AuvoFault
{
    /// <summary>429 with Retry-After (seconds).</summary>
    TooManyRequests,
    /// <summary>500.</summary>
    InternalError,
    /// <summary>503.</summary>
    Unavailable,
    /// <summary>The connection is closed without an answer.</summary>
    Drop,
    /// <summary>401 as if the bearer token had expired (the token is forgotten).</summary>
    ExpireToken,
}

/// <summary>
/// Faults for the next calls, counted down in order: "the next 2 list calls answer 429". Kept as
/// simple as the tests need; the calls they hit are list calls (GET of an entity) or logins.
/// </summary>
public sealed class AuvoFaults
{
    private readonly Lock _gate = new();
    private readonly List<(bool Login, AuvoFault Fault, int RetryAfter, int Remaining)> _plan = [];

    public void Next(AuvoFault fault, int times = 1, bool login = false, int retryAfter = 1)
    {
        lock (_gate) _plan.Add((login, fault, retryAfter, times));
    }

    public void Clear()
    {
        lock (_gate) _plan.Clear();
    }

    internal (AuvoFault Fault, int RetryAfter)? Decide(bool login)
    {
        lock (_gate)
        {
            for (var i = 0; i < _plan.Count; i++)
            {
                var rule = _plan[i];
                if (rule.Login != login) continue;
                if (rule.Remaining <= 1) _plan.RemoveAt(i);
                else _plan[i] = rule with { Remaining = rule.Remaining - 1 };
                return (rule.Fault, rule.RetryAfter);
            }
            return null;
        }
    }
}
