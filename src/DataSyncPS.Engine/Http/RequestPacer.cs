namespace DataSyncPS.Engine.Http;

/// <summary>Spaces requests to at most N a minute (an API's published rate limit), so a long
/// collection never meets 429 in the first place; 429s that come anyway go through the resilience
/// policy's Retry-After.</summary>
public sealed class RequestPacer(int requestsPerMinute)
{
    private readonly TimeSpan _interval = requestsPerMinute > 0 ? TimeSpan.FromMinutes(1) / requestsPerMinute : TimeSpan.Zero;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async Task WaitAsync(CancellationToken ct)
    {
        if (_interval == TimeSpan.Zero) return;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = DateTimeOffset.UtcNow;
            if (_next > now) await Task.Delay(_next - now, ct).ConfigureAwait(false);
            _next = (_next > now ? _next : now) + _interval;
        }
        finally
        {
            _gate.Release();
        }
    }
}
