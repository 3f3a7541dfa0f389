namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// The fault plan in force: decides, call by call, whether a fault hits. Rules are tried in order and
/// the first that fires wins. Percentages draw from one generator seeded at start (or by a new plan),
/// so the same sequence of calls meets the same faults.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];
    private Random random;

    public FaultInjector(int? seed, IEnumerable<FaultRule> rules)
    {
        Seed = seed ?? Random.Shared.Next();
        random = new Random(Seed);
        Add(rules);
    }

    /// <summary>The seed of the current generator (say it in a bug report to replay the run).</summary>
    public int Seed { get; private set; }

    /// <summary>The fault for this call, or null.</summary>
    public FaultRule? Decide(CallKind kind)
    {
        lock (gate)
        {
            foreach (var entry in entries)
            {
                var rule = entry.Rule;
                if (rule.Kind != CallKind.Any && rule.Kind != kind) continue;
                bool fires;
                if (entry.Remaining > 0)
                {
                    entry.Remaining--;
                    fires = true;
                }
                else if (rule.Percent is { } percent) fires = random.NextDouble() * 100 < percent;
                else fires = rule.Next is null;
                if (!fires) continue;
                entry.Fired++;
                return rule;
            }
            return null;
        }
    }

    /// <summary>Adds rules after the current ones.</summary>
    public void Add(IEnumerable<FaultRule> rules)
    {
        lock (gate)
        {
            foreach (var rule in rules)
            {
                rule.Validate();
                entries.Add(new Entry(rule));
            }
        }
    }

    /// <summary>Replaces the plan; a seed restarts the generator, none continues it.</summary>
    public void Replace(int? seed, IEnumerable<FaultRule> rules)
    {
        var list = rules.ToList();
        foreach (var rule in list) rule.Validate();
        lock (gate)
        {
            entries.Clear();
            if (seed is { } s)
            {
                Seed = s;
                random = new Random(s);
            }
            foreach (var rule in list) entries.Add(new Entry(rule));
        }
    }

    public void Clear() => Replace(null, []);

    /// <summary>The plan with what is left of each rule, as JSON.</summary>
    public Dictionary<string, object?> Snapshot()
    {
        lock (gate)
        {
            return new()
            {
                ["seed"] = Seed,
                ["rules"] = entries.Select(e =>
                {
                    var json = e.Rule.ToJson();
                    json["remaining"] = e.Remaining;
                    json["fired"] = e.Fired;
                    return json;
                }).ToList(),
            };
        }
    }

    private sealed class Entry(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public int Remaining { get; set; } = rule.Next ?? 0;
        public int Fired { get; set; }
    }
}
