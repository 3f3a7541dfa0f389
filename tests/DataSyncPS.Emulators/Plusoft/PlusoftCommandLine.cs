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
        var reader = new ArgumentReader(args);
        while (reader.Next() is { } name)
        {
            switch (name)
            {
                case "--port": options.Port = reader.Number(); break;
                case "--host": options.Host = reader.Value(); break;
                case "--api-path": options.ApiPath = reader.Value(); break;
                case "--token": options.Token = reader.Value(); break;
                case "--check-references": options.CheckReferences = true; break;
                case "--count-only": options.KeepRecords = false; break;
                case "--allow-chunked": options.RequireContentLength = false; break;
                case "--seed": options.Seed = reader.Number(); break;
                case "--fault":
                    var rule = FaultRule.Parse(reader.Value());
                    if (rule.Kind != CallKind.Any || rule.Fault is FaultType.Reset or FaultType.Expired)
                        throw new FormatException($"Fault '{rule}': the Plusoft emulator takes faults of kind any: 429, 500, 503, drop, lost-response, delay.");
                    options.Faults.Add(rule);
                    break;
                case "--quiet": options.LogCalls = false; break;
                default: throw reader.Unknown();
            }
        }
        return options;
    }
}
