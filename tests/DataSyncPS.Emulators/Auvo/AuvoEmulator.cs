using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.Auvo;

/// <summary>Where and how the Auvo emulator runs.</summary>
public sealed class AuvoEmulatorOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; }
    public string ApiPath { get; set; } = "/v2";
    public string ApiKey { get; set; } = "auvo-key";
    public string ApiToken { get; set; } = "auvo-token-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Requests a minute per client before 429 (0: no limit).</summary>
    public int RateLimitPerMinute { get; set; }
    public int MaxPageSize { get; set; } = 1000;
    /// <summary>Bodies without Content-Length are 411, as a server that reads bodies by length would answer.</summary>
    public bool RequireContentLength { get; set; } = true;
}

/// <summary>
/// The Auvo API v2 emulator: the contract of src/DataSyncPS.Engine/Auvo/AuvoContract.cs on a Kestrel
/// port. Records live in memory per entity, with a clock the test sets (dateLastUpdate of what it
/// adds or changes); faults come from <see cref="Faults"/>. In tests:
/// <c>await using var e = await AuvoEmulator.StartAsync(); e.Seed("customers", 1000);</c>
/// </summary>
public sealed class AuvoEmulator : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["customers"] = "id", ["tasks"] = "taskID", ["users"] = "userID", ["equipments"] = "id", ["products"] = "productId",
        ["services"] = "id", ["teams"] = "id", ["segments"] = "id", ["questionnaires"] = "id",
    };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly Dictionary<string, Table> _tables = Keys.ToDictionary(k => k.Key, k => new Table(k.Value));
    private readonly Queue<DateTimeOffset> _window = new();

    private AuvoEmulator(AuvoEmulatorOptions options)
    {
        Options = options;
        _app = KestrelApp.Create(options.Host, options.Port);
        var api = options.ApiPath.TrimEnd('/');
        _app.MapPost(api + "/login", Login);
        _app.MapGet(api + "/{entity}/", List); // routing matches it with and without the trailing slash
        _app.MapFallback((HttpContext c) => Json(c, 404, new JsonObject { ["message"] = "no such endpoint" }));
    }

    public AuvoEmulatorOptions Options { get; }
    public Uri ApiBaseUrl { get; private set; } = null!;
    public AuvoFaults Faults { get; } = new();

    /// <summary>The time records added or changed now get as dateLastUpdate.</summary>
    public DateTimeOffset Now { get; set; } = new(2024, 1, 1, 8, 0, 0, TimeSpan.FromHours(-3));

    public int Logins;
    public int ListCalls;
    /// <summary>Every list call's paramFilter, page and pageSize, in order.</summary>
    public ConcurrentQueue<(string Entity, string Filter, int Page, int PageSize, int Status)> Calls { get; } = new();

    public static async Task<AuvoEmulator> StartAsync(AuvoEmulatorOptions? options = null)
    {
        var e = new AuvoEmulator(options ?? new AuvoEmulatorOptions());
        await e._app.StartAsync();
        e.ApiBaseUrl = new Uri(KestrelApp.BoundAddress(e._app).GetLeftPart(UriPartial.Authority) + e.Options.ApiPath.TrimEnd('/'));
        return e;
    }

    /// <summary>Adds records first..first+count-1 of an entity's usual shape, updated a second apart,
    /// the last at <see cref="Now"/>.</summary>
    public void Seed(string entity, int count, int first = 1)
    {
        var table = _tables[entity];
        lock (table)
            for (var i = first; i < first + count; i++) table.Put(Sample(entity, i, Now.AddSeconds(i - (first + count - 1))));
    }

    /// <summary>Adds or replaces a record (its key field must be set); dateLastUpdate is <see cref="Now"/> unless given.</summary>
    public void Put(string entity, JsonObject record)
    {
        var table = _tables[entity];
        record[UpdatedField] ??= Now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        lock (table) table.Put(record);
    }

    /// <summary>Changes fields of a record and stamps it with <see cref="Now"/>.</summary>
    public void Change(string entity, long key, Action<JsonObject> change)
    {
        var table = _tables[entity];
        lock (table)
        {
            var record = table.Get(key) ?? throw new KeyNotFoundException($"{entity} {key}");
            var copy = (JsonObject)record.DeepClone();
            change(copy);
            copy[UpdatedField] = Now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            table.Put(copy);
        }
    }

    public int Count(string entity)
    {
        var table = _tables[entity];
        lock (table) return table.Count;
    }

    public const string UpdatedField = "dateLastUpdate";

    /// <summary>A record as the entity's list returns it: numbers, text with accents, a date, nested objects and arrays.</summary>
    public static JsonObject Sample(string entity, long i, DateTimeOffset at)
    {
        var key = Keys[entity];
        var record = new JsonObject { [key] = i };
        switch (entity)
        {
            case "customers":
                record["description"] = $"Cliente São João nº {i}";
                record["cpfCnpj"] = (10_000_000_000 + i).ToString(CultureInfo.InvariantCulture);
                record["active"] = i % 7 != 0;
                record["creditLimit"] = JsonValue.Create(decimal.Parse($"{i % 1000}.{i % 100:00}", CultureInfo.InvariantCulture));
                record["address"] = new JsonObject { ["street"] = $"Rua {i % 300}", ["city"] = i % 2 == 0 ? "Recife" : "Olinda", ["zip"] = $"5{i % 10000:0000}-000" };
                record["phones"] = new JsonArray($"+55 81 9{i % 100000000:00000000}");
                record["registrationDate"] = at.AddDays(-(i % 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case "tasks":
                record["customerId"] = i % 5000 + 1;
                record["idUserTo"] = i % 40 + 1;
                record["taskDate"] = at.AddHours(i % 48).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                record["orientation"] = $"Visita técnica {i}";
                record["finished"] = i % 3 == 0;
                record["keyWords"] = new JsonArray("manutenção", "preventiva");
                break;
            default:
                record["description"] = $"{entity} {i}";
                record["active"] = true;
                break;
        }
        record[UpdatedField] = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return record;
    }

    private async Task Login(HttpContext c)
    {
        if (Options.RequireContentLength && ApiPipeline.UnframedBody(c.Request) is { } unframed)
        {
            await Json(c, 411, new JsonObject { ["message"] = unframed });
            return;
        }
        Interlocked.Increment(ref Logins);
        if (Faults.Decide(login: true) is { } fault && await Fail(c, fault)) return;
        string? key = null, token = null;
        try
        {
            using var doc = await JsonDocument.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted);
            key = doc.RootElement.TryGetProperty("apiKey", out var k) ? k.GetString() : null;
            token = doc.RootElement.TryGetProperty("apiToken", out var t) ? t.GetString() : null;
        }
        catch (JsonException) { }
        if (key != Options.ApiKey || token != Options.ApiToken)
        {
            await Json(c, 401, new JsonObject { ["message"] = "invalid apiKey or apiToken" });
            return;
        }
        var bearer = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = DateTimeOffset.UtcNow + Options.TokenLifetime;
        _tokens[bearer] = expires;
        await Json(c, 200, new JsonObject
        {
            ["result"] = new JsonObject { ["authenticated"] = true, ["accessToken"] = bearer, ["expiration"] = expires.ToString("o", CultureInfo.InvariantCulture) },
        });
    }

    private async Task List(HttpContext c, string entity)
    {
        Interlocked.Increment(ref ListCalls);
        var q = c.Request.Query;
        var filterText = q["paramFilter"].ToString();
        int.TryParse(q["page"], out var page);
        int.TryParse(q["pageSize"], out var pageSize);
        void Log(int status) => Calls.Enqueue((entity, filterText, page, pageSize, status));

        var auth = c.Request.Headers.Authorization.ToString();
        var bearer = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (bearer is null || !_tokens.TryGetValue(bearer, out var expires) || expires <= DateTimeOffset.UtcNow)
        {
            Log(401);
            await Json(c, 401, new JsonObject { ["message"] = "token expired or invalid" });
            return;
        }
        if (OverRateLimit())
        {
            Log(429);
            c.Response.Headers.RetryAfter = "1";
            await Json(c, 429, new JsonObject { ["message"] = "rate limit exceeded" });
            return;
        }
        if (Faults.Decide(login: false) is { } fault)
        {
            if (fault.Fault == AuvoFault.ExpireToken) _tokens.TryRemove(bearer, out _);
            Log(fault.Fault switch { AuvoFault.TooManyRequests => 429, AuvoFault.InternalError => 500, AuvoFault.Unavailable => 503, AuvoFault.ExpireToken => 401, _ => 0 });
            if (await Fail(c, fault)) return;
        }
        if (!_tables.TryGetValue(entity, out var table))
        {
            Log(404);
            await Json(c, 404, new JsonObject { ["message"] = $"unknown entity '{entity}'" });
            return;
        }
        if (page < 1 || pageSize < 1 || pageSize > Options.MaxPageSize)
        {
            Log(400);
            await Json(c, 400, new JsonObject { ["message"] = $"page must be 1 or more and pageSize 1 to {Options.MaxPageSize}" });
            return;
        }
        JsonObject filter;
        try { filter = string.IsNullOrEmpty(filterText) ? [] : JsonNode.Parse(filterText) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException ex)
        {
            Log(400);
            await Json(c, 400, new JsonObject { ["message"] = $"paramFilter is not a JSON object: {ex.Message}" });
            return;
        }
        DateTimeOffset? since = null;
        if (filter["updatedSince"] is { } s)
        {
            if (!DateTimeOffset.TryParse(s.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                Log(400);
                await Json(c, 400, new JsonObject { ["message"] = "updatedSince is not an ISO 8601 time" });
                return;
            }
            since = parsed;
        }
        var others = filter.Where(f => f.Key != "updatedSince").ToList();
        List<JsonObject> matching;
        lock (table)
        {
            matching = table.Ordered()
                .Where(r => since is null || r.At >= since)
                .Select(r => r.Record)
                .Where(r => others.All(f => r[f.Key] is { } v && JsonNode.DeepEquals(v, f.Value)))
                .ToList();
        }
        var items = new JsonArray(matching.Skip((page - 1) * pageSize).Take(pageSize).Select(r => (JsonNode)r.DeepClone()).ToArray());
        Log(200);
        await Json(c, 200, new JsonObject
        {
            ["result"] = new JsonObject
            {
                ["entityList"] = items,
                ["pagedSearchReturnData"] = new JsonObject { ["order"] = 0, ["pageSize"] = pageSize, ["page"] = page, ["totalItems"] = matching.Count },
                ["links"] = new JsonArray(),
            },
        });
    }

    private bool OverRateLimit()
    {
        if (Options.RateLimitPerMinute <= 0) return false;
        lock (_window)
        {
            var now = DateTimeOffset.UtcNow;
            while (_window.Count > 0 && now - _window.Peek() > TimeSpan.FromMinutes(1)) _window.Dequeue();
            if (_window.Count >= Options.RateLimitPerMinute) return true;
            _window.Enqueue(now);
            return false;
        }
    }

    private static async Task<bool> Fail(HttpContext c, (AuvoFault Fault, int RetryAfter) fault)
    {
        switch (fault.Fault)
        {
            case AuvoFault.Drop:
                c.Abort();
                return true;
            case AuvoFault.TooManyRequests:
                c.Response.Headers.RetryAfter = fault.RetryAfter.ToString(CultureInfo.InvariantCulture);
                await Json(c, 429, new JsonObject { ["message"] = "too many requests (injected)" });
                return true;
            case AuvoFault.InternalError:
                await Json(c, 500, new JsonObject { ["message"] = "internal error (injected)" });
                return true;
            case AuvoFault.Unavailable:
                await Json(c, 503, new JsonObject { ["message"] = "unavailable (injected)" });
                return true;
            case AuvoFault.ExpireToken:
                await Json(c, 401, new JsonObject { ["message"] = "token expired (injected)" });
                return true;
            default:
                return false;
        }
    }

    private static async Task Json(HttpContext c, int status, JsonNode body)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(body.ToJsonString(ApiPipeline.Json), c.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>An entity's records by key, with a cached order by (dateLastUpdate, key).</summary>
    private sealed class Table(string keyField)
    {
        private readonly Dictionary<long, (JsonObject Record, DateTimeOffset At)> _rows = new();
        private List<(JsonObject Record, DateTimeOffset At)>? _ordered;

        public int Count => _rows.Count;

        public JsonObject? Get(long key) => _rows.TryGetValue(key, out var row) ? row.Record : null;

        public void Put(JsonObject record)
        {
            var at = DateTimeOffset.Parse(record[UpdatedField]!.ToString(), CultureInfo.InvariantCulture);
            _rows[record[keyField]!.GetValue<long>()] = (record, at);
            _ordered = null;
        }

        public List<(JsonObject Record, DateTimeOffset At)> Ordered() => _ordered ??= _rows
            .OrderBy(r => r.Value.At).ThenBy(r => r.Key).Select(r => r.Value).ToList();
    }
}
