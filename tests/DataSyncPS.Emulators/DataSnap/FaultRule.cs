using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>The calls a fault can hit: the three API calls, the PUT of the file, or any of them.</summary>
public enum CallKind { Any, Schema, Token, Put, Confirm }

/// <summary>What an injected fault does to a call.</summary>
public enum FaultType
{
    /// <summary>429 with <c>Retry-After</c>.</summary>
    TooManyRequests,
    /// <summary>500.</summary>
    InternalError,
    /// <summary>503 (with <c>Retry-After</c> when the rule gives one).</summary>
    Unavailable,
    /// <summary>The connection is aborted before anything happens; no response.</summary>
    Drop,
    /// <summary>The call takes effect, then the connection is aborted; the client never hears.</summary>
    LostResponse,
    /// <summary>PUT only: the connection is cut after <see cref="FaultRule.AfterBytes"/> bytes of the body; nothing stored.</summary>
    Reset,
    /// <summary>Token only: the URL handed out has already expired (S3 answers 403).</summary>
    Expired,
    /// <summary>The answer comes <see cref="FaultRule.DelayMs"/> late (read timeouts).</summary>
    Delay,
}

/// <summary>
/// One line of a fault plan: "fail the next N calls of kind K" and/or "fail P% of them".
/// Text form (command line): <c>kind:fault[:key=value,...]</c>, e.g. <c>confirm:lost-response:next=1</c>,
/// <c>any:429:percent=20,retry_after=2</c>, <c>put:reset:after_bytes=1000,next=1</c>.
/// JSON form (<c>/_emulator/faults</c>): <c>{"kind":"put","fault":"reset","after_bytes":1000,"next":1}</c>.
/// </summary>
public sealed class FaultRule
{
    public CallKind Kind { get; init; }
    public FaultType Fault { get; init; }

    /// <summary>The next N matching calls fail.</summary>
    public int? Next { get; init; }

    /// <summary>Each matching call fails with this probability (0-100), drawn from the seeded generator.
    /// With <see cref="Next"/> as well, it applies once those N are used up. With neither, every call fails.</summary>
    public double? Percent { get; init; }

    /// <summary>Seconds in <c>Retry-After</c> (429 default 1; 503 only when given).</summary>
    public int? RetryAfter { get; init; }

    /// <summary>For <see cref="FaultType.Reset"/>: bytes of the body read before the cut.</summary>
    public long AfterBytes { get; init; }

    /// <summary>For <see cref="FaultType.Delay"/>.</summary>
    public int DelayMs { get; init; } = 1000;

    public static string Name(CallKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(FaultType fault) => fault switch
    {
        FaultType.TooManyRequests => "429",
        FaultType.InternalError => "500",
        FaultType.Unavailable => "503",
        FaultType.Drop => "drop",
        FaultType.LostResponse => "lost-response",
        FaultType.Reset => "reset",
        FaultType.Expired => "expired",
        FaultType.Delay => "delay",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    private static readonly FaultType[] AllFaults = Enum.GetValues<FaultType>();

    public static CallKind ParseKind(string text) =>
        Enum.TryParse<CallKind>(text, ignoreCase: true, out var kind) && !int.TryParse(text, out _)
            ? kind
            : throw new FormatException($"Unknown call kind '{text}' (any, schema, token, put, confirm).");

    public static FaultType ParseFault(string text)
    {
        foreach (var fault in AllFaults)
            if (string.Equals(Name(fault), text, StringComparison.OrdinalIgnoreCase)) return fault;
        throw new FormatException($"Unknown fault '{text}' ({string.Join(", ", AllFaults.Select(Name))}).");
    }

    /// <summary>Parses the text form.</summary>
    public static FaultRule Parse(string spec)
    {
        var parts = spec.Split(':', 3);
        if (parts.Length < 2) throw new FormatException($"Fault '{spec}' is not kind:fault[:key=value,...].");
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (parts.Length == 3)
        {
            foreach (var pair in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                if (kv.Length != 2) throw new FormatException($"Fault '{spec}': '{pair}' is not key=value.");
                settings[kv[0].Trim()] = kv[1].Trim();
            }
        }
        var rule = Build(ParseKind(parts[0]), ParseFault(parts[1]), key => settings.Remove(key, out var v) ? v : null);
        if (settings.Count > 0) throw new FormatException($"Fault '{spec}': unknown setting '{settings.Keys.First()}'.");
        rule.Validate();
        return rule;
    }

    /// <summary>Parses the JSON form.</summary>
    public static FaultRule FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new FormatException("A fault rule must be a JSON object.");
        string? Get(string name) => json.TryGetProperty(name, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new FormatException($"Fault rule: '{name}' must be a string or a number."),
            }
            : null;
        foreach (var property in json.EnumerateObject())
            if (!JsonNames.Contains(property.Name)) throw new FormatException($"Fault rule: unknown field '{property.Name}'.");
        var rule = Build(
            ParseKind(Get("kind") ?? throw new FormatException("Fault rule: 'kind' is missing.")),
            ParseFault(Get("fault") ?? throw new FormatException("Fault rule: 'fault' is missing.")),
            Get);
        rule.Validate();
        return rule;
    }

    private static readonly HashSet<string> JsonNames = ["kind", "fault", "next", "percent", "retry_after", "after_bytes", "delay_ms"];

    private static FaultRule Build(CallKind kind, FaultType fault, Func<string, string?> setting)
    {
        static T? Number<T>(string? text, string name) where T : struct, INumber<T> =>
            text is null ? null
            : T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
            : throw new FormatException($"Fault setting {name}='{text}' is not a number.");
        return new FaultRule
        {
            Kind = kind,
            Fault = fault,
            Next = Number<int>(setting("next"), "next"),
            Percent = Number<double>(setting("percent"), "percent"),
            RetryAfter = Number<int>(setting("retry_after"), "retry_after"),
            AfterBytes = Number<long>(setting("after_bytes"), "after_bytes") ?? 0,
            DelayMs = Number<int>(setting("delay_ms"), "delay_ms") ?? 1000,
        };
    }

    internal void Validate()
    {
        if (Next is < 0) throw new FormatException($"Fault '{this}': next must be 0 or more.");
        if (Percent is < 0 or > 100) throw new FormatException($"Fault '{this}': percent must be 0-100.");
        if (RetryAfter is < 0) throw new FormatException($"Fault '{this}': retry_after must be 0 or more.");
        if (AfterBytes < 0 || DelayMs < 0) throw new FormatException($"Fault '{this}': after_bytes and delay_ms must be 0 or more.");
        if (Fault is FaultType.Reset && Kind is not CallKind.Put)
            throw new FormatException($"Fault '{this}': reset applies to put calls only.");
        if (Fault is FaultType.Expired && Kind is not CallKind.Token)
            throw new FormatException($"Fault '{this}': expired applies to token calls only.");
    }

    public Dictionary<string, object?> ToJson() => new()
    {
        ["kind"] = Name(Kind),
        ["fault"] = Name(Fault),
        ["next"] = Next,
        ["percent"] = Percent,
        ["retry_after"] = RetryAfter,
        ["after_bytes"] = Fault is FaultType.Reset ? AfterBytes : null,
        ["delay_ms"] = Fault is FaultType.Delay ? DelayMs : null,
    };

    public override string ToString()
    {
        var settings = new List<string>();
        if (Next is { } n) settings.Add($"next={n}");
        if (Percent is { } p) settings.Add($"percent={p.ToString(CultureInfo.InvariantCulture)}");
        if (RetryAfter is { } r) settings.Add($"retry_after={r}");
        if (Fault is FaultType.Reset) settings.Add($"after_bytes={AfterBytes}");
        if (Fault is FaultType.Delay) settings.Add($"delay_ms={DelayMs}");
        return $"{Name(Kind)}:{Name(Fault)}" + (settings.Count > 0 ? ":" + string.Join(',', settings) : "");
    }
}
