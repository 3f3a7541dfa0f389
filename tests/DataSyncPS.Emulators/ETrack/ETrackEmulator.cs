using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using DataSyncPS.Emulators.DataSnap;

namespace DataSyncPS.Emulators.ETrack;

/// <summary>What an injected fault does to an e-Track call.</summary>
public enum ETrackFault { TooManyRequests, InternalError, Drop, Delay }

/// <summary>
/// The e-Track emulator: the contract of src/DataSyncPS.Engine/ETrack/ETrackContract.cs on a Kestrel
/// port. Each vehicle reports a position every <see cref="Interval"/>, computed from its plate and the
/// time (so history is the same however it is asked for); history calls longer than the maximum
/// window are 400. Faults (429, 500, dropped connections, answers held longer than a read timeout) hit
/// the next calls, in order.
/// </summary>
public sealed class ETrackEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(ETrackFault Fault, int Millis)> _faults = new();

    private ETrackEmulator(string host, int port, string apiPath)
    {
        _app = KestrelApp.Create(host, port);
        var api = apiPath.TrimEnd('/');
        _app.MapGet(api + "/veiculos", c => Handle(c, () => new JsonObject
        {
            ["retorno"] = "OK",
            ["veiculos"] = new JsonArray(Vehicles.Select((p, i) => (JsonNode)new JsonObject { ["placa"] = p, ["descricao"] = $"Caminhão {i + 1}", ["id"] = i + 1 }).ToArray()),
        }));
        _app.MapGet(api + "/ultimas-posicoes", c => Handle(c, () => new JsonObject
        {
            ["retorno"] = "OK",
            ["posicoes"] = new JsonArray(Vehicles.Select(p => (JsonNode)Position(p, Align(Now - TimeSpan.FromTicks(1)))).ToArray()),
        }));
        _app.MapGet(api + "/posicoes", c => Handle(c, () => History(c.Request.Query["placa"], c.Request.Query["inicio"], c.Request.Query["fim"])));
        _app.MapFallback((HttpContext c) => Json(c, 404, Error("no such endpoint")));
    }

    public string User { get; set; } = "frota";
    public string ApiKey { get; set; } = "etrack-key-7781";
    public List<string> Vehicles { get; } = ["ABC1D23", "XYZ9A87", "QWE4R56"];
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromHours(24);
    public DateTimeOffset Now { get; set; } = new(2025, 3, 14, 12, 0, 0, TimeSpan.FromHours(-3));
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>Every call's path and query, and the status answered (0: dropped).</summary>
    public ConcurrentQueue<(string Call, int Status)> Calls { get; } = new();

    public static async Task<ETrackEmulator> StartAsync(string host = "127.0.0.1", int port = 0, string apiPath = "/monitoramento")
    {
        var e = new ETrackEmulator(host, port, apiPath);
        await e._app.StartAsync();
        e.ApiBaseUrl = new Uri(KestrelApp.BoundAddress(e._app).GetLeftPart(UriPartial.Authority) + apiPath.TrimEnd('/'));
        return e;
    }

    /// <summary>The next <paramref name="times"/> calls meet this fault (Delay holds the answer <paramref name="millis"/>).</summary>
    public void Next(ETrackFault fault, int times = 1, int millis = 0)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue((fault, millis));
    }

    /// <summary>The position a vehicle reports at a time: deterministic, so tests can recompute it.</summary>
    public static JsonObject Position(string plate, DateTimeOffset at)
    {
        var seed = plate.Aggregate(17, (h, ch) => h * 31 + ch);
        var minutes = (long)(at.UtcDateTime - new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMinutes;
        return new JsonObject
        {
            ["placa"] = plate,
            ["data_transmissao"] = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["latitude"] = JsonValue.Create(Math.Round(-8.05m + (seed % 100) / 1000m + (minutes % 60) / 10000m, 6)),
            ["longitude"] = JsonValue.Create(Math.Round(-34.9m + (seed % 70) / 1000m, 6)),
            ["velocidade"] = (int)((minutes + seed) % 90),
            ["ignicao"] = (minutes + seed) % 4 != 0,
            ["odometro"] = JsonValue.Create(10000m + minutes / 10m),
            ["endereco"] = "BR-232, Recife - PE",
            ["motorista"] = (minutes % 2 == 0) ? new JsonObject { ["id"] = seed % 50, ["nome"] = "José da Silva" } : null,
        };
    }

    private DateTimeOffset Align(DateTimeOffset t) => new(t.Ticks - t.Ticks % Interval.Ticks, t.Offset);

    private JsonObject History(string? plate, string? from, string? to)
    {
        if (string.IsNullOrEmpty(plate) || !DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.None, out var end) || end <= start)
            throw new BadRequest("placa, inicio and fim (ISO 8601, fim after inicio) are required");
        if (end - start > MaxWindow) throw new BadRequest($"the window from inicio to fim may be {MaxWindow.TotalHours:N0} hours at most");
        if (!Vehicles.Contains(plate)) throw new BadRequest($"unknown vehicle '{plate}'");
        var first = Align(start) < start ? Align(start) + Interval : Align(start);
        var list = new JsonArray();
        for (var t = first; t < end; t += Interval) list.Add(Position(plate, t));
        return new JsonObject { ["retorno"] = "OK", ["posicoes"] = list };
    }

    private async Task Handle(HttpContext c, Func<JsonObject> answer)
    {
        var call = c.Request.Path + c.Request.QueryString;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + ApiKey));
        if (c.Request.Headers.Authorization.ToString() != expected)
        {
            Calls.Enqueue((call, 401));
            await Json(c, 401, Error("invalid user or API key"));
            return;
        }
        if (_faults.TryDequeue(out var fault))
        {
            switch (fault.Fault)
            {
                case ETrackFault.Drop:
                    Calls.Enqueue((call, 0));
                    c.Abort();
                    return;
                case ETrackFault.TooManyRequests:
                    Calls.Enqueue((call, 429));
                    c.Response.Headers.RetryAfter = "0";
                    await Json(c, 429, Error("too many requests (injected)"));
                    return;
                case ETrackFault.InternalError:
                    Calls.Enqueue((call, 500));
                    await Json(c, 500, Error("internal error (injected)"));
                    return;
                case ETrackFault.Delay:
                    try { await Task.Delay(fault.Millis, c.RequestAborted); }
                    catch (OperationCanceledException) { Calls.Enqueue((call, 0)); return; }
                    break;
            }
        }
        JsonObject body;
        try { body = answer(); }
        catch (BadRequest ex)
        {
            Calls.Enqueue((call, 400));
            await Json(c, 400, Error(ex.Message));
            return;
        }
        Calls.Enqueue((call, 200));
        await Json(c, 200, body);
    }

    private static JsonObject Error(string message) => new() { ["retorno"] = "ERRO", ["mensagem"] = message };

    private static async Task Json(HttpContext c, int status, JsonNode body)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(body.ToJsonString(ApiPipeline.Json), c.RequestAborted);
    }

    private sealed class BadRequest(string message) : Exception(message);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
