using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// Test-only endpoints under <c>/_emulator</c>, outside the API contract and without API key: what was
/// received, the stored bytes, the call log, the fault plan, schemas, reset. No client of the real
/// DataSnap API may depend on these.
/// </summary>
public sealed class EmulatorControlRoutes(DataSnapEmulator emulator)
{
    public const string Prefix = "/_emulator";

    public void Map(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup(Prefix);
        control.MapGet("/", () => Results.Json(emulator.Describe()));
        control.MapGet("/uploads", (bool? all) => Results.Json(emulator.Uploads.Snapshot(confirmedOnly: all != true)));
        control.MapGet("/uploads/{id}", (string id) =>
            emulator.Uploads.Snapshot(id) is { } upload ? Results.Json(upload) : NotFound($"upload '{id}' not found"));
        control.MapGet("/uploads/{id}/content", async (string id, CancellationToken cancellationToken) =>
            emulator.Uploads.Find(id) is not { } upload ? NotFound($"upload '{id}' not found")
            : await emulator.Store.ReadAsync(upload.ObjectKey, cancellationToken) is { } bytes ? Results.Bytes(bytes, "application/octet-stream")
            : NotFound($"nothing stored for upload '{id}'"));
        control.MapGet("/stats", () => Results.Json(emulator.Stats()));
        control.MapGet("/calls", () => Results.Json(emulator.Calls.Snapshot().Select(c => c.ToJson())));

        control.MapGet("/faults", () => Results.Json(emulator.Faults.Snapshot()));
        control.MapPut("/faults", (JsonElement body) => ChangeFaults(body, replace: true));
        control.MapPost("/faults", (JsonElement body) => ChangeFaults(body, replace: false));
        control.MapDelete("/faults", () =>
        {
            emulator.Faults.Clear();
            return Results.Json(emulator.Faults.Snapshot());
        });

        control.MapPost("/schemas", (JsonElement body) =>
        {
            var errors = new List<string>();
            var slug = ApiPipeline.String(body, "slug", errors);
            var name = ApiPipeline.String(body, "name", errors);
            if (errors.Count > 0) return BadRequest(string.Join("; ", errors));
            emulator.Schemas[slug!] = name!;
            return Results.Json(new Dictionary<string, string> { ["slug"] = slug!, ["name"] = name! });
        });
        control.MapPost("/reset", async (CancellationToken cancellationToken) =>
        {
            await emulator.ResetAsync(cancellationToken);
            return Results.Json(emulator.Stats());
        });
    }

    /// <summary>
    /// PUT replaces the plan: <c>{"seed": 42, "rules": [...]}</c> (seed optional). POST adds rules:
    /// <c>{"rules": [...]}</c>, an array of rules, or one rule object.
    /// </summary>
    private IResult ChangeFaults(JsonElement body, bool replace)
    {
        try
        {
            int? seed = null;
            JsonElement rules;
            if (body.ValueKind == JsonValueKind.Array) rules = body;
            else if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("rules", out var list))
            {
                rules = list;
                if (body.TryGetProperty("seed", out var s) && s.ValueKind != JsonValueKind.Null)
                    seed = s.TryGetInt32(out var n) ? n : throw new FormatException("'seed' must be a 32-bit integer.");
            }
            else if (body.ValueKind == JsonValueKind.Object && !replace) rules = JsonSerializer.SerializeToElement(new[] { body });
            else throw new FormatException("The body must be {\"seed\": n, \"rules\": [...]}.");
            if (rules.ValueKind != JsonValueKind.Array) throw new FormatException("'rules' must be an array.");
            var parsed = rules.EnumerateArray().Select(FaultRule.FromJson).ToList();
            if (!emulator.Options.UseS3Proxy && parsed.Any(r => r.Kind is CallKind.Put))
                throw new FormatException("PUT faults need the S3 proxy, which this emulator was started without.");
            if (replace) emulator.Faults.Replace(seed, parsed);
            else emulator.Faults.Add(parsed);
            return Results.Json(emulator.Faults.Snapshot());
        }
        catch (FormatException e)
        {
            return BadRequest(e.Message);
        }
    }

    private static IResult NotFound(string message) => Results.Json(new Dictionary<string, string> { ["error"] = message }, statusCode: 404);

    private static IResult BadRequest(string message) => Results.Json(new Dictionary<string, string> { ["error"] = message }, statusCode: 400);
}
