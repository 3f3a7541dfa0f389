using System.Text.Json;
using DataSyncPS.Engine.Auvo;
using DataSyncPS.Engine.ETrack;
using DataSyncPS.Engine.Http;

namespace DataSyncPS.Engine.Tests.Apis;

/// <summary>The pieces of the API collectors that need no server: JSON records typed as PowerShell
/// users expect, the e-Track history cut into windows, the final error's exception types.</summary>
public class ApiRecordTests
{
    private static object? Value(string json) => JsonRecord.ToValue(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Json_values_are_typed()
    {
        Assert.Equal(42L, Value("42"));
        Assert.Equal(10.50m, Value("10.50"));
        Assert.Equal("10.50", ((decimal)Value("10.50")!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool)Value("true")!);
        Assert.Null(Value("null"));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(-3)), Value("\"2024-05-01T10:00:00-03:00\""));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 13, 0, 0, 500, TimeSpan.Zero), Value("\"2024-05-01T13:00:00.5Z\""));
        Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0), Value("\"2024-05-01T10:00:00\""));
        Assert.Equal(new DateOnly(2024, 5, 1), Value("\"2024-05-01\""));
        Assert.Equal("2024-13-45", Value("\"2024-13-45\""));
        Assert.Equal("ABC1D23", Value("\"ABC1D23\""));
        var nested = Assert.IsType<Dictionary<string, object?>>(Value("""{"b": 1, "a": {"c": [1, "x"]}}"""));
        Assert.Equal(["b", "a"], nested.Keys);
        Assert.Equal(new List<object?> { 1L, "x" }, ((Dictionary<string, object?>)nested["a"]!)["c"]);
    }

    [Fact]
    public void A_history_range_is_cut_into_windows_no_longer_than_the_API_takes()
    {
        var from = new DateTimeOffset(2025, 3, 10, 6, 0, 0, TimeSpan.FromHours(-3));
        var windows = ETrackContract.Windows(from, from.AddHours(50), ETrackContract.MaxWindow).ToList();
        Assert.Equal([(from, from.AddHours(24)), (from.AddHours(24), from.AddHours(48)), (from.AddHours(48), from.AddHours(50))], windows);
        Assert.Single(ETrackContract.Windows(from, from.AddMinutes(1), ETrackContract.MaxWindow));
        Assert.Empty(ETrackContract.Windows(from, from, ETrackContract.MaxWindow));
    }

    [Fact]
    public void The_final_error_names_the_exception_types_under_it()
    {
        var connect = new HttpCallFailedException("GET x failed after 3 attempt(s)", null, 3,
            new HttpRequestException("no connection", new TimeoutException("connect")));
        Assert.Equal("exception: HttpRequestException > ConnectTimeout (TimeoutException)", ETrackClient.ExceptionTypes(connect));
        var read = new HttpCallFailedException("GET x failed", null, 2, new Polly.Timeout.TimeoutRejectedException());
        Assert.Equal("exception: ReadTimeout (TimeoutRejectedException)", ETrackClient.ExceptionTypes(read));
    }

    [Fact]
    public void Auvo_entities_know_their_keys_and_an_unknown_one_is_InvalidArgument()
    {
        Assert.Equal("taskID", AuvoContract.Entity("Tasks").KeyField);
        Assert.Equal(9, AuvoContract.Entities.Count);
        Assert.Equal(SyncErrorKind.InvalidArgument, Assert.Throws<SyncException>(() => AuvoContract.Entity("invoices")).Kind);
        Assert.Equal("customers/?paramFilter=%7B%22a%22%3A1%7D&page=2&pageSize=50&order=asc",
            AuvoContract.ListPath(AuvoContract.Entity("customers"), "{\"a\":1}", 2, 50));
    }
}
