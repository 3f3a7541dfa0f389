using System.Text.RegularExpressions;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>What generate-upload-token asks for.</summary>
public sealed record TokenRequest(string Filename, long Size, long Rows, string Sha256, string IdempotencyKey);

/// <summary>What confirm asks for.</summary>
public sealed record ConfirmRequest(long Rows, string Sha256, string IdempotencyKey);

/// <summary>One upload: made by the first token for its idempotency key, confirmed at most once.</summary>
public sealed class Upload
{
    public required string UploadId { get; init; }
    public required string Schema { get; init; }
    public required string Filename { get; init; }
    public required long Size { get; init; }
    public required long Rows { get; init; }
    public required string Sha256 { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string ObjectKey { get; init; }
    public string UploadUrl { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public int TokensIssued { get; set; }
    public bool Confirmed { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>Confirm calls that succeeded on the server (a lost answer counts; the rows count once).</summary>
    public int ConfirmCount { get; set; }
}

/// <summary>
/// The uploads known to the emulator, by id and by (schema, idempotency key). The same key always
/// maps to the same upload, and an upload turns confirmed once: that is where "counts nothing twice"
/// is enforced.
/// </summary>
public sealed partial class UploadRegistry
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Schema, string Key), Upload> byKey = [];
    private readonly Dictionary<string, Upload> byId = new(StringComparer.Ordinal);

    /// <summary>Presigns a URL for an object key; the flag asks for an already expired one.</summary>
    public delegate (string Url, DateTimeOffset ExpiresAt) Presign(string objectKey, bool expired);

    /// <summary>
    /// The upload for this idempotency key, new or existing, with a URL: the existing one while it is
    /// valid, else a fresh one. Null and a message when the key was used for a different file.
    /// </summary>
    public (Upload? Upload, string? Conflict) Token(string schema, TokenRequest request, bool expiredUrl, Presign presign)
    {
        lock (gate)
        {
            if (byKey.TryGetValue((schema, request.IdempotencyKey), out var upload))
            {
                if (!string.Equals(upload.Sha256, request.Sha256, StringComparison.OrdinalIgnoreCase)
                    || upload.Size != request.Size || upload.Rows != request.Rows)
                    return (null, $"idempotency_key '{request.IdempotencyKey}' was already used for a different file (sha256, size or rows differ)");
            }
            else
            {
                var id = Guid.NewGuid().ToString("N");
                upload = new Upload
                {
                    UploadId = id,
                    Schema = schema,
                    Filename = request.Filename,
                    Size = request.Size,
                    Rows = request.Rows,
                    Sha256 = request.Sha256.ToLowerInvariant(),
                    IdempotencyKey = request.IdempotencyKey,
                    ObjectKey = $"{schema}/{id}/{SafeName(request.Filename)}",
                };
                byKey[(schema, request.IdempotencyKey)] = upload;
                byId[id] = upload;
            }
            if (expiredUrl || upload.ExpiresAt <= DateTimeOffset.UtcNow)
                (upload.UploadUrl, upload.ExpiresAt) = presign(upload.ObjectKey, expiredUrl);
            upload.TokensIssued++;
            return (upload, null);
        }
    }

    /// <summary>The upload with this id in this schema, or null.</summary>
    public Upload? Find(string schema, string uploadId)
    {
        lock (gate) return byId.TryGetValue(uploadId, out var u) && u.Schema == schema ? u : null;
    }

    public Upload? Find(string uploadId)
    {
        lock (gate) return byId.GetValueOrDefault(uploadId);
    }

    /// <summary>Marks the upload confirmed (once) and counts the call; false when it already was.</summary>
    public bool Confirm(Upload upload)
    {
        lock (gate)
        {
            upload.ConfirmCount++;
            if (upload.Confirmed) return false;
            upload.Confirmed = true;
            upload.ConfirmedAt = DateTimeOffset.UtcNow;
            return true;
        }
    }

    public bool IsConfirmed(Upload upload)
    {
        lock (gate) return upload.Confirmed;
    }

    public List<Dictionary<string, object?>> Snapshot(bool confirmedOnly)
    {
        lock (gate) return byId.Values.Where(u => u.Confirmed || !confirmedOnly).Select(ToJson).ToList();
    }

    public Dictionary<string, object?>? Snapshot(string uploadId)
    {
        lock (gate) return byId.TryGetValue(uploadId, out var u) ? ToJson(u) : null;
    }

    /// <summary>Confirmed rows per schema: each upload's rows once, however often it was confirmed.</summary>
    public Dictionary<string, long> ConfirmedRows()
    {
        lock (gate)
            return byId.Values.Where(u => u.Confirmed).GroupBy(u => u.Schema)
                .ToDictionary(g => g.Key, g => g.Sum(u => u.Rows), StringComparer.Ordinal);
    }

    /// <summary>Forgets every upload; returns their object keys (to delete).</summary>
    public List<string> Clear()
    {
        lock (gate)
        {
            var keys = byId.Values.Select(u => u.ObjectKey).ToList();
            byId.Clear();
            byKey.Clear();
            return keys;
        }
    }

    private static Dictionary<string, object?> ToJson(Upload u) => new()
    {
        ["upload_id"] = u.UploadId,
        ["schema"] = u.Schema,
        ["filename"] = u.Filename,
        ["size"] = u.Size,
        ["rows"] = u.Rows,
        ["sha256"] = u.Sha256,
        ["idempotency_key"] = u.IdempotencyKey,
        ["object_key"] = u.ObjectKey,
        ["status"] = u.Confirmed ? "confirmed" : "pending",
        ["confirm_count"] = u.ConfirmCount,
        ["tokens_issued"] = u.TokensIssued,
        ["expires_at"] = u.ExpiresAt,
        ["confirmed_at"] = u.ConfirmedAt,
    };

    /// <summary>The file name as an object key segment: no folders, no characters S3 tools trip on.</summary>
    internal static string SafeName(string filename)
    {
        var name = UnsafeChars().Replace(Path.GetFileName(filename.Replace('\\', '/')), "_");
        return name is "" or "." or ".." ? "file" : name;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeChars();
}
