using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.Tests;

/// <summary>Fault rules and plans on their own (no servers).</summary>
public sealed class FaultPlanTests
{
    [Theory]
    [InlineData("confirm:lost-response:next=1", "confirm:lost-response:next=1")]
    [InlineData("ANY:429:percent=12.5,retry_after=3", "any:429:percent=12.5,retry_after=3")]
    [InlineData("put:reset:after_bytes=1000,next=2", "put:reset:next=2,after_bytes=1000")]
    [InlineData("schema:delay:delay_ms=250", "schema:delay:delay_ms=250")]
    [InlineData("token:expired", "token:expired")]
    public void Text_form_round_trips(string spec, string expected) => Assert.Equal(expected, FaultRule.Parse(spec).ToString());

    [Theory]
    [InlineData("confirm")]
    [InlineData("confirm:teapot")]
    [InlineData("upload:500")]
    [InlineData("token:reset")]
    [InlineData("put:expired")]
    [InlineData("any:500:percent=101")]
    [InlineData("any:500:next=-1")]
    [InlineData("any:500:colour=red")]
    [InlineData("any:500:next")]
    public void Bad_rules_are_refused_with_a_reason(string spec) =>
        Assert.False(string.IsNullOrWhiteSpace(Assert.Throws<FormatException>(() => FaultRule.Parse(spec)).Message));

    [Fact]
    public void Json_form_reads_like_the_text_form()
    {
        var json = JsonDocument.Parse("""{"kind":"put","fault":"reset","after_bytes":10,"next":1}""").RootElement;
        Assert.Equal("put:reset:next=1,after_bytes=10", FaultRule.FromJson(json).ToString());
        Assert.Throws<FormatException>(() => FaultRule.FromJson(JsonDocument.Parse("""{"kind":"put","fault":"500","nxt":1}""").RootElement));
    }

    [Fact]
    public void Next_fails_exactly_n_calls_of_its_kind()
    {
        var faults = new FaultInjector(1, [FaultRule.Parse("confirm:503:next=2")]);
        Assert.Null(faults.Decide(CallKind.Token));
        Assert.NotNull(faults.Decide(CallKind.Confirm));
        Assert.Null(faults.Decide(CallKind.Schema));
        Assert.NotNull(faults.Decide(CallKind.Confirm));
        Assert.Null(faults.Decide(CallKind.Confirm));
    }

    [Fact]
    public void Next_then_percent_and_first_rule_wins()
    {
        var faults = new FaultInjector(9, [FaultRule.Parse("any:429:next=2,percent=0"), FaultRule.Parse("any:500")]);
        Assert.Equal(FaultType.TooManyRequests, faults.Decide(CallKind.Put)?.Fault);
        Assert.Equal(FaultType.TooManyRequests, faults.Decide(CallKind.Token)?.Fault);
        Assert.Equal(FaultType.InternalError, faults.Decide(CallKind.Token)?.Fault);
    }

    [Fact]
    public void Any_rules_hit_every_kind_of_call()
    {
        var faults = new FaultInjector(1, [FaultRule.Parse("any:drop:next=4")]);
        Assert.All(new[] { CallKind.Schema, CallKind.Token, CallKind.Put, CallKind.Confirm },
            kind => Assert.Equal(FaultType.Drop, faults.Decide(kind)?.Fault));
        Assert.Null(faults.Decide(CallKind.Schema));
    }

    [Fact]
    public void The_same_seed_fails_the_same_calls_and_about_the_right_share()
    {
        static List<bool> Run(int seed)
        {
            var faults = new FaultInjector(seed, [FaultRule.Parse("any:500:percent=30")]);
            return Enumerable.Range(0, 2000).Select(i => faults.Decide((CallKind)(1 + i % 4)) is not null).ToList();
        }
        var a = Run(42);
        Assert.Equal(a, Run(42));
        Assert.NotEqual(a, Run(43));
        Assert.InRange(a.Count(f => f), 500, 700);
    }

    [Fact]
    public void Replacing_with_a_seed_restarts_the_sequence()
    {
        var faults = new FaultInjector(7, [FaultRule.Parse("any:503:percent=50")]);
        var first = Enumerable.Range(0, 50).Select(_ => faults.Decide(CallKind.Schema) is not null).ToList();
        faults.Replace(7, [FaultRule.Parse("any:503:percent=50")]);
        Assert.Equal(first, Enumerable.Range(0, 50).Select(_ => faults.Decide(CallKind.Schema) is not null).ToList());
    }
}
