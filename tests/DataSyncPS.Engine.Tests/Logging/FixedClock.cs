namespace DataSyncPS.Engine.Tests.Logging;

/// <summary>A clock at a fabricated instant in a fabricated local zone (Brasília's -03:00 by default).</summary>
public sealed class FixedClock(DateTimeOffset now, TimeSpan? offset = null) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    private readonly TimeZoneInfo _zone = TimeZoneInfo.CreateCustomTimeZone("Test", offset ?? TimeSpan.FromHours(-3), "Test", "Test");

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => _zone;
}
