using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.Plusoft;

/// <summary>Where and how the Plusoft emulator runs.</summary>
public sealed class PlusoftEmulatorOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; }
    public string ApiPath { get; set; } = "/carga/v1";
    public string Token { get; set; } = "plusoft-token-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    /// <summary>Bodies without Content-Length are 411, as a server that reads bodies by length would answer.</summary>
    public bool RequireContentLength { get; set; } = true;
    public int MaxRecordsPerCall { get; set; } = 5_000;
    /// <summary>A sale must name a store, product and customer sent before (the order of a full sync).</summary>
    public bool CheckReferences { get; set; }
    /// <summary>Keep each record (its last version) for tests to read; off, only counts are kept (the benchmark).</summary>
    public bool KeepRecords { get; set; } = true;
    public int? Seed { get; set; }
    /// <summary>Faults of kind <c>any</c> (429, 500, 503, drop, lost-response, delay): DataSnap's fault rules.</summary>
    public List<FaultRule> Faults { get; } = [];
    public bool LogCalls { get; set; }
}

/// <summary>One call as the emulator saw it. Status is null when no answer was sent.</summary>
public sealed record PlusoftCall(DateTimeOffset At, string Entity, int? Status, int Records, string? IdempotencyKey, bool Replayed, string? Fault);

/// <summary>
/// The Plusoft transactional load API emulator: the contract of src/DataSyncPS.Engine/Plusoft/PlusoftContract.cs
/// on a Kestrel port. A batch is checked whole (<see cref="PlusoftSchema"/>), then stored whole or
/// refused whole with 400 naming each bad record; every record's arrivals are counted by its key, so a
/// test sees any record received twice. An Idempotency-Key seen before with the same body is answered
/// as before and stores nothing. Faults (DataSnap's rules, kind <c>any</c>) hit calls after the token
/// check. In tests: <c>await using var e = await PlusoftEmulator.StartAsync(); ... e.Received("vendas")</c>.
/// </summary>
public sealed class PlusoftEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Entry>> _records = PlusoftSchema.Entities.Keys.ToDictionary(k => k, _ => new Dictionary<string, Entry>());
    private readonly Dictionary<string, long> _counts = PlusoftSchema.Entities.Keys.ToDictionary(k => k, _ => 0L);
    private readonly Dictionary<string, (string Sha256, string Answer)> _idempotent = new();
    private int _batches;

    private PlusoftEmulator(PlusoftEmulatorOptions options)
    {
        Options = options;
        Faults = new FaultInjector(options.Seed, options.Faults);
        _app = KestrelApp.Create(options.Host, options.Port);
        var api = options.ApiPath.TrimEnd('/');
        _app.MapPost(api + "/{entity}", Post);
        _app.MapGet("/_emulator/stats", () => Results.Json(Stats()));
        _app.MapGet("/_emulator/records/{entity}", (string entity) =>
            _records.ContainsKey(entity) ? Results.Json(Records(entity).Values) : Results.Json(new { mensagem = "entidade desconhecida" }, statusCode: 404));
        _app.MapPost("/_emulator/reset", () => { Reset(); return Results.Json(Stats()); });
        _app.MapFallback((HttpContext c) => Json(c, 404, new JsonObject { ["mensagem"] = "endpoint desconhecido" }));
    }

    public PlusoftEmulatorOptions Options { get; }
    public FaultInjector Faults { get; }
    public Uri ApiBaseUrl { get; private set; } = null!;
    public Uri ControlUrl { get; private set; } = null!;
    public ConcurrentQueue<PlusoftCall> Calls { get; } = new();

    public static async Task<PlusoftEmulator> StartAsync(PlusoftEmulatorOptions? options = null)
    {
        var e = new PlusoftEmulator(options ?? new PlusoftEmulatorOptions());
        await e._app.StartAsync();
        var root = KestrelApp.BoundAddress(e._app).GetLeftPart(UriPartial.Authority);
        e.ApiBaseUrl = new Uri(root + e.Options.ApiPath.TrimEnd('/'));
        e.ControlUrl = new Uri(root + "/_emulator");
        return e;
    }

    /// <summary>A record as stored (its last version), with how many batches brought it.</summary>
    private sealed class Entry
    {
        public int Received;
        public JsonElement Record;
    }

    /// <summary>Records of an entity (its path: filiais, produtos, clientes, vendas) stored, a record sent again
    /// in another batch counted again (a replay of one Idempotency-Key is not): it equals the source's rows only
    /// when each arrived exactly once, which is what the crash tests check. <see cref="Received"/> has them by key.</summary>
    public long Count(string entity)
    {
        lock (_gate) return _counts[entity];
    }

    /// <summary>How many times each record of an entity arrived in a stored batch (replays not counted), by key text.</summary>
    public Dictionary<string, int> Received(string entity)
    {
        lock (_gate) return _records[entity].ToDictionary(r => r.Key, r => r.Value.Received);
    }

    /// <summary>The stored records of an entity, by key text.</summary>
    public Dictionary<string, JsonElement> Records(string entity)
    {
        lock (_gate) return _records[entity].ToDictionary(r => r.Key, r => r.Value.Record);
    }

    public void Reset()
    {
        lock (_gate)
        {
            foreach (var table in _records.Values) table.Clear();
            foreach (var key in _counts.Keys.ToList()) _counts[key] = 0;
            _idempotent.Clear();
            _batches = 0;
        }
        Calls.Clear();
        Faults.Clear();
    }

    public Dictionary<string, object?> Stats()
    {
        lock (_gate)
        {
            return new()
            {
                ["entities"] = _records.ToDictionary(t => t.Key, t => new Dictionary<string, long>
                {
                    ["records"] = _counts[t.Key],
                    ["distinct"] = Options.KeepRecords ? t.Value.Count : _counts[t.Key],
                    ["received_twice"] = t.Value.Values.Count(e => e.Received > 1),
                }),
                ["batches"] = _batches,
                ["calls"] = Calls.Count,
                ["replays"] = Calls.Count(c => c.Replayed),
                ["rejected"] = Calls.Count(c => c.Status == 400),
                ["faults"] = Calls.Count(c => c.Fault is not null),
            };
        }
    }

    private async Task Post(HttpContext c, string entity)
    {
        var key = c.Request.Headers["Idempotency-Key"].ToString();
        var records = 0;
        void Log(int? status, bool replayed = false, FaultRule? fault = null)
        {
            Calls.Enqueue(new(DateTimeOffset.UtcNow, entity, status, records, key.Length == 0 ? null : key, replayed, fault?.ToString()));
            if (Options.LogCalls)
                Console.Out.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} POST {entity} -> {(status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "no response")} records={records}" +
                                      (replayed ? " replayed" : "") + (fault is null ? "" : $" fault={fault}"));
        }

        if (Options.RequireContentLength && ApiPipeline.UnframedBody(c.Request) is { } unframed)
        {
            Log(411);
            await Json(c, 411, new JsonObject { ["mensagem"] = unframed });
            return;
        }
        if (c.Request.Headers.Authorization.ToString() != "Bearer " + Options.Token)
        {
            Log(401);
            await Json(c, 401, new JsonObject { ["mensagem"] = "token ausente ou inválido" });
            return;
        }
        var fault = Faults.Decide(CallKind.Any);
        switch (fault?.Fault)
        {
            case FaultType.Drop:
                Log(null, fault: fault);
                c.Abort();
                return;
            case FaultType.TooManyRequests:
                Log(429, fault: fault);
                c.Response.Headers.RetryAfter = (fault.RetryAfter ?? 1).ToString(CultureInfo.InvariantCulture);
                await Json(c, 429, new JsonObject { ["mensagem"] = "muitas requisições (injetado)" });
                return;
            case FaultType.InternalError or FaultType.Unavailable:
                var code = fault.Fault == FaultType.InternalError ? 500 : 503;
                Log(code, fault: fault);
                if (fault.RetryAfter is { } after) c.Response.Headers.RetryAfter = after.ToString(CultureInfo.InvariantCulture);
                await Json(c, code, new JsonObject { ["mensagem"] = "erro interno (injetado)" });
                return;
            case FaultType.Delay:
                try { await Task.Delay(fault.DelayMs, c.RequestAborted); }
                catch (OperationCanceledException) { Log(null, fault: fault); return; }
                break;
        }
        if (!PlusoftSchema.Entities.TryGetValue(entity, out var schema))
        {
            Log(404, fault: fault);
            await Json(c, 404, new JsonObject { ["mensagem"] = $"entidade desconhecida '{entity}'" });
            return;
        }

        var body = new MemoryStream();
        await c.Request.Body.CopyToAsync(body, c.RequestAborted);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        var (status, answer, replayed, count) = Accept(schema, key, bytes);
        records = count;
        if (fault?.Fault == FaultType.LostResponse)
        {
            Log(null, replayed, fault); // stored, and the client never hears
            c.Abort();
            return;
        }
        Log(status, replayed, fault);
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(answer, c.RequestAborted);
    }

    /// <summary>Checks and stores a batch: the status and JSON answer, and whether it was a replay.</summary>
    private (int Status, string Answer, bool Replayed, int Records) Accept(PlusoftSchema.Entity schema, string key, ReadOnlyMemory<byte> bytes)
    {
        var records = 0;
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        lock (_gate)
        {
            if (key.Length > 0 && _idempotent.TryGetValue(schema.Path + "|" + key, out var seen))
                return seen.Sha256 == sha ? (200, seen.Answer, true, records) : (409, Error("Idempotency-Key já usada para outro lote"), false, records);
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes); }
        catch (JsonException ex) { return (400, Error($"o corpo não é JSON válido: {ex.Message}"), false, records); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array) return (400, Error("o corpo deve ser um array JSON de registros"), false, records);
            records = root.GetArrayLength();
            if (records == 0) return (400, Error("o lote está vazio"), false, records);
            if (records > Options.MaxRecordsPerCall) return (413, Error($"no máximo {Options.MaxRecordsPerCall} registros por chamada"), false, records);

            var errors = new JsonArray();
            var index = 0;
            foreach (var record in root.EnumerateArray())
            {
                foreach (var (field, message) in PlusoftSchema.Check(schema, record).Concat(References(schema, record)))
                    if (errors.Count < 50) errors.Add(new JsonObject { ["indice"] = index, ["campo"] = field, ["mensagem"] = message });
                    else break;
                index++;
            }
            if (errors.Count > 0)
            {
                var bad = errors.Select(e => e!["indice"]!.GetValue<int>()).Distinct().Count();
                return (400, new JsonObject { ["mensagem"] = $"Lote rejeitado: {bad} registro(s) inválido(s)", ["erros"] = errors }.ToJsonString(ApiPipeline.Json), false, records);
            }

            lock (_gate)
            {
                // Checked again under the lock: two attempts of one batch may race.
                if (key.Length > 0 && _idempotent.TryGetValue(schema.Path + "|" + key, out var seen))
                    return seen.Sha256 == sha ? (200, seen.Answer, true, records) : (409, Error("Idempotency-Key já usada para outro lote"), false, records);
                var table = _records[schema.Path];
                foreach (var record in root.EnumerateArray())
                {
                    _counts[schema.Path]++;
                    if (!Options.KeepRecords) continue;
                    var recordKey = PlusoftSchema.Key(schema, record);
                    if (!table.TryGetValue(recordKey, out var entry)) table[recordKey] = entry = new Entry();
                    entry.Received++;
                    entry.Record = record.Clone();
                }
                _batches++;
                var answer = new JsonObject { ["lote"] = $"L-{_batches:000000}", ["recebidos"] = records }.ToJsonString(ApiPipeline.Json);
                if (key.Length > 0) _idempotent[schema.Path + "|" + key] = (sha, answer);
                return (200, answer, false, records);
            }
        }
    }

    /// <summary>With <see cref="PlusoftEmulatorOptions.CheckReferences"/>: a sale's store, product and customer must be known.</summary>
    private IEnumerable<(string, string)> References(PlusoftSchema.Entity schema, JsonElement record)
    {
        if (!Options.CheckReferences || schema.Path != "vendas" || !Options.KeepRecords) yield break;
        foreach (var (field, entity) in new[] { ("CODFILIAL", "filiais"), ("CODPRODUTO", "produtos"), ("CODCLIENTE", "clientes") })
        {
            if (!record.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            bool known;
            lock (_gate) known = _records[entity].ContainsKey(v.GetRawText());
            if (!known) yield return (field, $"{v.GetRawText()} não cadastrado em {entity}");
        }
    }

    private static string Error(string message) => new JsonObject { ["mensagem"] = message }.ToJsonString(ApiPipeline.Json);

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
}
