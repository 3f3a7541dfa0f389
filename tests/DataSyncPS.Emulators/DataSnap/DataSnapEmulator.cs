using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// The DataSnap API emulator: the API on one Kestrel port, files stored in a real s3rver bucket
/// through presigned URLs (by default via <see cref="S3FaultProxy"/> on a second port), faults from a
/// <see cref="FaultInjector"/>. In tests: <c>await using var e = await DataSnapEmulator.StartAsync(options);</c>
/// then call <see cref="ApiBaseUrl"/> with <see cref="ApiKey"/>.
/// </summary>
public sealed class DataSnapEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly S3FaultProxy? proxy;
    private readonly S3Presigner presigner;

    private DataSnapEmulator(DataSnapEmulatorOptions options, IReadOnlyList<string> apiKeys, S3Store store, S3FaultProxy? proxy,
        FaultInjector faults, CallLog calls)
    {
        Options = options;
        ApiKeys = apiKeys;
        Store = store;
        this.proxy = proxy;
        Faults = faults;
        Calls = calls;
        Schemas = new ConcurrentDictionary<string, string>(options.Schemas, StringComparer.Ordinal);
        presigner = new S3Presigner(options, proxy?.Endpoint ?? options.S3Endpoint);
        app = KestrelApp.Create(options.Host, options.Port);
        new DataSnapRoutes(Schemas, Uploads, presigner, store, new ApiPipeline(apiKeys, faults, calls, options.RequireContentLength)).Map(app, options.ApiPath);
        new EmulatorControlRoutes(this).Map(app);
        app.MapFallback((HttpContext c) => ApiPipeline.WriteAsync(c, ApiResponse.Error(StatusCodes.Status404NotFound, "no such endpoint")));
    }

    public DataSnapEmulatorOptions Options { get; }

    /// <summary>The keys accepted in X-API-Key; <see cref="ApiKey"/> is the first.</summary>
    public IReadOnlyList<string> ApiKeys { get; }

    public string ApiKey => ApiKeys[0];

    /// <summary><c>{api}</c> of the contract, e.g. http://127.0.0.1:5080/api (no trailing slash).</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The test-only endpoints, e.g. http://127.0.0.1:5080/_emulator.</summary>
    public Uri ControlUrl { get; private set; } = null!;

    /// <summary>Where the presigned URLs point: the S3 proxy, or s3rver itself without it.</summary>
    public Uri S3PublicEndpoint => presigner.PublicEndpoint;

    public FaultInjector Faults { get; }
    public CallLog Calls { get; }
    public UploadRegistry Uploads { get; } = new();
    public S3Store Store { get; }
    public ConcurrentDictionary<string, string> Schemas { get; }

    public static async Task<DataSnapEmulator> StartAsync(DataSnapEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DataSnapEmulatorOptions();
        options.Validate();
        var apiKeys = options.ApiKeys.Count > 0
            ? options.ApiKeys.Distinct().ToList()
            : ["dsk_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))];
        var store = new S3Store(options);
        S3FaultProxy? proxy = null;
        try
        {
            await store.EnsureBucketAsync(cancellationToken);
            var faults = new FaultInjector(options.Seed, options.Faults);
            var calls = new CallLog(options.LogCalls);
            if (options.UseS3Proxy) proxy = await S3FaultProxy.StartAsync(options, faults, calls, cancellationToken);
            var emulator = new DataSnapEmulator(options, apiKeys, store, proxy, faults, calls);
            await emulator.app.StartAsync(cancellationToken);
            var root = KestrelApp.BoundAddress(emulator.app).GetLeftPart(UriPartial.Authority);
            emulator.ApiBaseUrl = new Uri(root + (options.ApiPath == "/" ? "" : options.ApiPath));
            emulator.ControlUrl = new Uri(root + EmulatorControlRoutes.Prefix);
            return emulator;
        }
        catch
        {
            if (proxy is not null) await proxy.DisposeAsync();
            store.Dispose();
            throw;
        }
    }

    /// <summary>Forgets uploads (deleting their objects), calls and fault rules (the seed stays); schemas back to the start set.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        foreach (var key in Uploads.Clear()) await Store.DeleteAsync(key, cancellationToken);
        Calls.Clear();
        Faults.Clear();
        Schemas.Clear();
        foreach (var (slug, name) in Options.Schemas) Schemas[slug] = name;
    }

    /// <summary>Where things are (no API key here: the control endpoints need none and print none).</summary>
    public Dictionary<string, object?> Describe() => new()
    {
        ["api_base_url"] = ApiBaseUrl.ToString(),
        ["s3_endpoint"] = Options.S3Endpoint.ToString(),
        ["s3_public_endpoint"] = S3PublicEndpoint.ToString(),
        ["s3_proxy"] = proxy is not null,
        ["bucket"] = Options.Bucket,
        ["url_expiry_seconds"] = (int)Options.UrlExpiry.TotalSeconds,
        ["schemas"] = Schemas.OrderBy(s => s.Key).Select(s => new Dictionary<string, string> { ["slug"] = s.Key, ["name"] = s.Value }).ToList(),
        ["faults"] = Faults.Snapshot(),
    };

    /// <summary>Counts: calls by kind and answer, faults fired, confirmed uploads and rows (each upload's rows once).</summary>
    public Dictionary<string, object?> Stats()
    {
        var calls = Calls.Snapshot();
        var confirmed = Uploads.Snapshot(confirmedOnly: true);
        return new()
        {
            ["calls"] = calls.GroupBy(c => FaultRule.Name(c.Kind)).ToDictionary(g => g.Key, g => g.Count()),
            ["faults_fired"] = calls.Where(c => c.Fault is not null).GroupBy(c => c.Fault!).ToDictionary(g => g.Key, g => g.Count()),
            ["uploads"] = Uploads.Snapshot(confirmedOnly: false).Count,
            ["confirmed_uploads"] = confirmed.Count,
            ["confirmed_rows"] = Uploads.ConfirmedRows(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        if (proxy is not null) await proxy.DisposeAsync();
        presigner.Dispose();
        Store.Dispose();
    }
}
