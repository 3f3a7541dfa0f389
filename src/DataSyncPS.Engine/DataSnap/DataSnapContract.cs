using System.Text.Json.Serialization;

namespace DataSyncPS.Engine.DataSnap;

/// <summary>
/// The DataSnap API as DESIGN.md's external contract gives it, in one place: paths, header and JSON
/// shapes. Until the real API's documentation says otherwise, the client and the test emulator both
/// speak exactly this.
/// </summary>
public static class DataSnapContract
{
    public const string ApiKeyHeader = "X-API-Key";

    public static string SchemaPath(string slug) => $"schemas/{Uri.EscapeDataString(slug)}";
    public static string UploadTokenPath(string slug) => $"schemas/{Uri.EscapeDataString(slug)}/generate-upload-token";
    public static string ConfirmPath(string slug, string uploadId) =>
        $"schemas/{Uri.EscapeDataString(slug)}/uploads/{Uri.EscapeDataString(uploadId)}/confirm";

    public sealed record Schema([property: JsonPropertyName("slug")] string Slug, [property: JsonPropertyName("name")] string? Name);

    public sealed record UploadTokenRequest(
        [property: JsonPropertyName("filename")] string Filename,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("rows")] long Rows,
        [property: JsonPropertyName("sha256")] string Sha256,
        [property: JsonPropertyName("idempotency_key")] string IdempotencyKey);

    public sealed record UploadToken(
        [property: JsonPropertyName("upload_id")] string UploadId,
        [property: JsonPropertyName("upload_url")] string UploadUrl,
        [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
        [property: JsonPropertyName("headers")] Dictionary<string, string>? Headers);

    public sealed record ConfirmRequest(
        [property: JsonPropertyName("rows")] long Rows,
        [property: JsonPropertyName("sha256")] string Sha256,
        [property: JsonPropertyName("idempotency_key")] string IdempotencyKey);

    public sealed record ConfirmResponse(
        [property: JsonPropertyName("upload_id")] string UploadId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("rows")] long Rows);

    public sealed record ErrorResponse([property: JsonPropertyName("error")] string? Error);
}
