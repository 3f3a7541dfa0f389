namespace DataSyncPS.Emulators.DataSnap;

/// <summary>Everything a DataSnap emulator is started with. The defaults suit the s3rver of .ci/servers.sh.</summary>
public sealed class DataSnapEmulatorOptions
{
    /// <summary>Loopback by default; the emulator is for tests and has no real security.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The API port; 0 takes a free one (what tests want).</summary>
    public int Port { get; set; }

    /// <summary>The path of <c>{api}</c>: the API base URL is <c>http://host:port{ApiPath}</c>.</summary>
    public string ApiPath { get; set; } = "/api";

    /// <summary>Keys accepted in <c>X-API-Key</c>. Empty: one random key is made at start.</summary>
    public List<string> ApiKeys { get; } = [];

    /// <summary>Known schemas, slug to display name. Anything else is a 404.</summary>
    public Dictionary<string, string> Schemas { get; } = new(StringComparer.Ordinal)
    {
        ["vendas"] = "Vendas",
        ["clientes"] = "Clientes",
        ["produtos"] = "Produtos",
        ["app-logs"] = "Application logs",
    };

    /// <summary>The S3 server that stores the files (s3rver).</summary>
    public Uri S3Endpoint { get; set; } = new("http://127.0.0.1:4568");

    public string S3AccessKey { get; set; } = "S3RVER";
    public string S3SecretKey { get; set; } = "S3RVER";
    public string S3Region { get; set; } = "us-east-1";

    /// <summary>Created at start when missing.</summary>
    public string Bucket { get; set; } = "datasnap";

    /// <summary>How long a presigned upload URL is valid (whole seconds, at least 1).</summary>
    public TimeSpan UrlExpiry { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The Content-Type the PUT must send; signed into the URL and returned in <c>headers</c>.</summary>
    public string UploadContentType { get; set; } = "application/gzip";

    /// <summary>
    /// Presigned URLs point at the emulator's S3 proxy (which checks the signature and Content-Length
    /// like S3 and can inject PUT faults) instead of at s3rver directly. On by default: s3rver alone
    /// accepts any signature and partial bodies.
    /// </summary>
    public bool UseS3Proxy { get; set; } = true;

    /// <summary>
    /// Strict mode: API calls whose body comes without Content-Length (chunked, or a POST with no length)
    /// are refused with 411 before anything else, as servers that read bodies by length see them empty
    /// (DESIGN contract 8). On by default, so every test runs the client against it.
    /// </summary>
    public bool RequireContentLength { get; set; } = true;

    /// <summary>The S3 proxy's port; 0 takes a free one.</summary>
    public int S3ProxyPort { get; set; }

    /// <summary>Seed of the fault plan's percentages; null picks one (reported by <c>GET /_emulator/faults</c>).</summary>
    public int? Seed { get; set; }

    /// <summary>The fault plan at start; it can be changed at run time.</summary>
    public List<FaultRule> Faults { get; } = [];

    /// <summary>Write one line per call to stdout (standalone mode).</summary>
    public bool LogCalls { get; set; }

    internal void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Port {Port} is out of range.");
        if (S3ProxyPort is < 0 or > 65535) throw new ArgumentException($"S3 proxy port {S3ProxyPort} is out of range.");
        if (!ApiPath.StartsWith('/') || ApiPath.EndsWith('/') && ApiPath.Length > 1)
            throw new ArgumentException($"ApiPath '{ApiPath}' must start with '/' and not end with one.");
        if (ApiPath.StartsWith(EmulatorControlRoutes.Prefix, StringComparison.Ordinal))
            throw new ArgumentException($"ApiPath must not be under {EmulatorControlRoutes.Prefix}.");
        if (UrlExpiry < TimeSpan.FromSeconds(1) || UrlExpiry > TimeSpan.FromDays(7))
            throw new ArgumentException("UrlExpiry must be between 1 second and 7 days (S3's limits).");
        if (string.IsNullOrWhiteSpace(Bucket)) throw new ArgumentException("Bucket is empty.");
        if (ApiKeys.Any(string.IsNullOrEmpty)) throw new ArgumentException("An API key is empty.");
        foreach (var rule in Faults)
        {
            rule.Validate();
            if (!UseS3Proxy && rule.Kind is CallKind.Put)
                throw new ArgumentException($"Fault '{rule}' needs the S3 proxy (PUTs go straight to s3rver without it).");
        }
    }
}
