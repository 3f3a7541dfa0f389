using System.Globalization;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.Plusoft;

/// <summary>The options of <c>plusoft ...</c> on the command line.</summary>
public static class PlusoftCommandLine
{
    public const string Usage = """
        plusoft [options]
          --port N              API port (default 5083; 0 = a free one)
          --host ADDRESS        listen address (default 127.0.0.1)
          --api-path PATH       the {api} path (default /carga/v1)
          --token TOKEN         the accepted Bearer token (default: a random one, printed)
          --check-references    a sale's CODFILIAL, CODPRODUTO and CODCLIENTE must have been sent before
          --count-only          keep counts, not records (a benchmark of millions of records)
          --allow-chunked       accept request bodies without Content-Length (by default: 411)
          --seed N              seed of the fault percentages
          --fault SPEC          any:fault[:key=value,...]; repeatable, e.g. any:429:percent=10,retry_after=1
                                faults: 429 500 503 drop lost-response delay
          --quiet               no per-call log lines
        """;

    public static PlusoftEmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PlusoftEmulatorOptions { Port = 5083, LogCalls = true };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            int Number() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? n : throw new FormatException($"{name} needs a whole number.");
            switch (name)
            {
                case "--port": options.Port = Number(); break;
                case "--host": options.Host = Value(); break;
                case "--api-path": options.ApiPath = Value(); break;
                case "--token": options.Token = Value(); break;
                case "--check-references": options.CheckReferences = true; break;
                case "--count-only": options.KeepRecords = false; break;
                case "--allow-chunked": options.RequireContentLength = false; break;
                case "--seed": options.Seed = Number(); break;
                case "--fault":
                    var rule = FaultRule.Parse(Value());
                    if (rule.Kind != CallKind.Any || rule.Fault is FaultType.Reset or FaultType.Expired)
                        throw new FormatException($"Fault '{rule}': the Plusoft emulator takes faults of kind any: 429, 500, 503, drop, lost-response, delay.");
                    options.Faults.Add(rule);
                    break;
                case "--quiet": options.LogCalls = false; break;
                default: throw new FormatException($"Unknown option '{name}'.");
            }
        }
        return options;
    }
}
