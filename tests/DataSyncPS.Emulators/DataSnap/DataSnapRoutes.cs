using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// The DataSnap API exactly as DESIGN.md "External contracts" gives it, nothing more:
/// <c>GET {api}/schemas/{slug}</c>, <c>POST {api}/schemas/{slug}/generate-upload-token</c>,
/// <c>POST {api}/schemas/{slug}/uploads/{upload_id}/confirm</c>. The PUT of the file goes to the
/// presigned URL (S3), not here. Test-only read-back lives in <see cref="EmulatorControlRoutes"/>.
/// </summary>
public sealed class DataSnapRoutes(
    ConcurrentDictionary<string, string> schemas, UploadRegistry uploads, S3Presigner presigner, S3Store store, ApiPipeline pipeline)
{
    public void Map(IEndpointRouteBuilder app, string apiPath)
    {
        var api = app.MapGroup(apiPath);
        api.MapGet("/schemas/{slug}", (HttpContext c) => pipeline.RunAsync(c, CallKind.Schema, GetSchemaAsync));
        api.MapPost("/schemas/{slug}/generate-upload-token", (HttpContext c) => pipeline.RunAsync(c, CallKind.Token, TokenAsync));
        api.MapPost("/schemas/{slug}/uploads/{uploadId}/confirm", (HttpContext c) => pipeline.RunAsync(c, CallKind.Confirm, ConfirmAsync));
    }

    private static string Route(HttpContext context, string name) => (string)context.GetRouteValue(name)!;

    private ApiResponse? UnknownSchema(string slug) =>
        schemas.ContainsKey(slug) ? null : ApiResponse.Error(StatusCodes.Status404NotFound, $"schema '{slug}' not found");

    private Task<ApiResponse> GetSchemaAsync(HttpContext context, FaultRule? fault, CancellationToken cancellationToken)
    {
        var slug = Route(context, "slug");
        return Task.FromResult(schemas.TryGetValue(slug, out var name)
            ? ApiResponse.Ok(new Dictionary<string, string> { ["slug"] = slug, ["name"] = name })
            : UnknownSchema(slug)!);
    }

    private async Task<ApiResponse> TokenAsync(HttpContext context, FaultRule? fault, CancellationToken cancellationToken)
    {
        var slug = Route(context, "slug");
        if (UnknownSchema(slug) is { } notFound) return notFound;
        var (body, invalid) = await ApiPipeline.ReadObjectAsync(context, cancellationToken);
        if (invalid is not null) return ApiResponse.Error(StatusCodes.Status400BadRequest, invalid);
        var errors = new List<string>();
        var request = new TokenRequest(
            ApiPipeline.String(body, "filename", errors) ?? "",
            ApiPipeline.Count(body, "size", errors),
            ApiPipeline.Count(body, "rows", errors),
            ApiPipeline.Sha256(body, "sha256", errors),
            ApiPipeline.String(body, "idempotency_key", errors) ?? "");
        if (errors.Count > 0) return ApiResponse.Error(StatusCodes.Status400BadRequest, string.Join("; ", errors));

        var (upload, conflict) = uploads.Token(slug, request, fault?.Fault is FaultType.Expired,
            (key, expired) => expired ? presigner.PresignExpired(key) : presigner.Presign(key));
        if (upload is null) return ApiResponse.Error(StatusCodes.Status409Conflict, conflict!);
        return ApiResponse.Ok(new Dictionary<string, object>
        {
            ["upload_id"] = upload.UploadId,
            ["upload_url"] = upload.UploadUrl,
            ["expires_at"] = upload.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["headers"] = presigner.RequiredHeaders,
        });
    }

    private async Task<ApiResponse> ConfirmAsync(HttpContext context, FaultRule? fault, CancellationToken cancellationToken)
    {
        var slug = Route(context, "slug");
        var uploadId = Route(context, "uploadId");
        if (UnknownSchema(slug) is { } notFound) return notFound;
        if (uploads.Find(slug, uploadId) is not { } upload)
            return ApiResponse.Error(StatusCodes.Status404NotFound, $"upload '{uploadId}' not found in schema '{slug}'");
        var (body, invalid) = await ApiPipeline.ReadObjectAsync(context, cancellationToken);
        if (invalid is not null) return ApiResponse.Error(StatusCodes.Status400BadRequest, invalid);
        var errors = new List<string>();
        var request = new ConfirmRequest(
            ApiPipeline.Count(body, "rows", errors),
            ApiPipeline.Sha256(body, "sha256", errors),
            ApiPipeline.String(body, "idempotency_key", errors) ?? "");
        if (errors.Count > 0) return ApiResponse.Error(StatusCodes.Status400BadRequest, string.Join("; ", errors));
        if (request.IdempotencyKey != upload.IdempotencyKey)
            return Conflict($"idempotency_key '{request.IdempotencyKey}' is not the one upload '{uploadId}' was made with");

        // Confirming again: the same answer, nothing counted twice.
        if (uploads.IsConfirmed(upload))
        {
            uploads.Confirm(upload);
            return Confirmed(upload);
        }
        if (request.Sha256 != upload.Sha256)
            return Conflict($"sha256 {request.Sha256} is not the one the upload token was asked for ({upload.Sha256})");
        if (request.Rows != upload.Rows)
            return Conflict($"rows {request.Rows} is not the number the upload token was asked for ({upload.Rows})");
        var stored = await store.HashAsync(upload.ObjectKey, cancellationToken);
        if (stored is null)
            return Conflict($"no file has been stored for upload '{uploadId}' (PUT it to the upload_url first)");
        if (stored.Value.Sha256 != request.Sha256)
            return Conflict($"the stored file's SHA-256 is {stored.Value.Sha256} ({stored.Value.Size} bytes), not {request.Sha256}");
        uploads.Confirm(upload);
        return Confirmed(upload);
    }

    private static ApiResponse Conflict(string message) => ApiResponse.Error(StatusCodes.Status409Conflict, message);

    private static ApiResponse Confirmed(Upload upload) => ApiResponse.Ok(new Dictionary<string, object>
    {
        ["upload_id"] = upload.UploadId,
        ["status"] = "confirmed",
        ["rows"] = upload.Rows,
    });
}
