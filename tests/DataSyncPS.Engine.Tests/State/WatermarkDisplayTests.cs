using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Tests.State;

/// <summary>Keyset values as messages and Get-SyncState show them: ISO dates whatever the culture
/// (Npgsql reads a date column as DateOnly, whose invariant text is 07/02/2024).</summary>
public sealed class WatermarkDisplayTests
{
    [Fact]
    public void Dates_and_times_are_shown_as_ISO_text() =>
        Assert.Equal("2024-07-02, 2024-07-02 10:30:00, 2024-07-02 10:30:00-03:00, 4",
            new Watermark([new DateOnly(2024, 7, 2), new DateTime(2024, 7, 2, 10, 30, 0), new DateTimeOffset(2024, 7, 2, 10, 30, 0, TimeSpan.FromHours(-3)), 4]).ToString());
}
