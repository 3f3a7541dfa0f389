namespace DataSyncPS.Emulators.DataSnap;

/// <summary>The options of <c>datasnap ...</c> on the command line.</summary>
public static class DataSnapCommandLine
{
    public const string Usage = """
        datasnap [options]
          --port N              API port (default 5080; 0 = a free one)
          --host ADDRESS        listen address (default 127.0.0.1)
          --api-path PATH       the {api} path (default /api)
          --api-key KEY         an accepted X-API-Key; repeatable (default: one random key)
          --schema SLUG[=NAME]  a known schema; repeatable (replaces the default vendas, clientes, produtos, app-logs)
          --s3 URL              s3rver (default http://127.0.0.1:4568)
          --s3-access-key KEY   (default S3RVER)    --s3-secret-key KEY (default S3RVER)
          --bucket NAME         created when missing (default datasnap)
          --expiry SECONDS      presigned URL lifetime (default 900)
          --proxy-port N        the S3 proxy's port (default: a free one)
          --direct-s3           presigned URLs point at s3rver itself (no signature checks, no PUT faults)
          --allow-chunked       accept API request bodies without Content-Length (strict mode off; by
                                default such a call is refused with 411 Length Required)
          --seed N              seed of the fault percentages
          --fault SPEC          kind:fault[:key=value,...]; repeatable, e.g.
                                  any:429:percent=10,retry_after=2   confirm:lost-response:next=1
                                  put:reset:after_bytes=65536,next=1 token:expired:next=1
                                kinds: any schema token put confirm
                                faults: 429 500 503 drop lost-response reset expired delay
                                settings: next percent retry_after after_bytes delay_ms
          --quiet               no per-call log lines
        """;

    public static DataSnapEmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DataSnapEmulatorOptions { Port = 5080, LogCalls = true };
        var schemasGiven = false;
        var reader = new ArgumentReader(args);
        while (reader.Next() is { } name)
        {
            switch (name)
            {
                case "--port": options.Port = reader.Number(); break;
                case "--host": options.Host = reader.Value(); break;
                case "--api-path": options.ApiPath = reader.Value(); break;
                case "--api-key": options.ApiKeys.Add(reader.Value()); break;
                case "--schema":
                    if (!schemasGiven) options.Schemas.Clear();
                    schemasGiven = true;
                    var parts = reader.Value().Split('=', 2);
                    options.Schemas[parts[0]] = parts.Length > 1 ? parts[1] : parts[0];
                    break;
                case "--s3": options.S3Endpoint = new Uri(reader.Value()); break;
                case "--s3-access-key": options.S3AccessKey = reader.Value(); break;
                case "--s3-secret-key": options.S3SecretKey = reader.Value(); break;
                case "--bucket": options.Bucket = reader.Value(); break;
                case "--expiry": options.UrlExpiry = TimeSpan.FromSeconds(reader.Number()); break;
                case "--proxy-port": options.S3ProxyPort = reader.Number(); break;
                case "--direct-s3": options.UseS3Proxy = false; break;
                case "--allow-chunked": options.RequireContentLength = false; break;
                case "--seed": options.Seed = reader.Number(); break;
                case "--fault": options.Faults.Add(FaultRule.Parse(reader.Value())); break;
                case "--quiet": options.LogCalls = false; break;
                default: throw reader.Unknown();
            }
        }
        return options;
    }
}
