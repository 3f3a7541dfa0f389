namespace DataSyncPS.Engine.Http;

/// <summary>How hard every HTTP client of the module tries (DESIGN contract 4).</summary>
public sealed class HttpPolicyOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;
    /// <summary>Median delay before the first retry; doubles each time, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Longest Retry-After honoured; a server asking for longer makes the call fail instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Per attempt, from request to the end of the response (a streamed upload included).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(100);
}
