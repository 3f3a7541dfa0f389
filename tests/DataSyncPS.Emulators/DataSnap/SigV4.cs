using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataSyncPS.Emulators.DataSnap;

/// <summary>
/// AWS Signature Version 4 for presigned S3 query-string URLs (UNSIGNED-PAYLOAD), both ways:
/// <see cref="Presign"/> signs at a chosen instant (the SDK signs only at "now", and an already
/// expired URL needs an instant in the past), and <see cref="Verify"/> checks a request the way S3
/// does, which s3rver does not (it checks the access key and the expiry, not the signature).
/// A test checks that <see cref="Presign"/> gives the SDK's own URL (path and every query parameter, signature included).
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const int MaxExpirySeconds = 604800;

    /// <summary>A failed check, as S3 would answer it.</summary>
    public sealed record Failure(int Status, string Code, string Message);

    /// <summary>A presigned URL for <paramref name="method"/> on bucket/key at <paramref name="endpoint"/>.
    /// <paramref name="headers"/> are signed besides host (lower-case names).</summary>
    public static string Presign(string method, Uri endpoint, string bucket, string key,
        IReadOnlyDictionary<string, string> headers, string accessKey, string secretKey, string region,
        DateTime signingTimeUtc, int expiresSeconds)
    {
        var path = "/" + Encode(bucket) + "/" + string.Join('/', key.Split('/').Select(s => Encode(s)));
        var date = signingTimeUtc.ToString(DateFormat, CultureInfo.InvariantCulture);
        var scope = $"{date[..8]}/{region}/s3/aws4_request";
        var allHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = endpoint.Authority };
        foreach (var (name, value) in headers) allHeaders[name.ToLowerInvariant()] = value;
        var query = new List<(string, string)>
        {
            ("X-Amz-Algorithm", Algorithm),
            ("X-Amz-Credential", $"{accessKey}/{scope}"),
            ("X-Amz-Date", date),
            ("X-Amz-Expires", expiresSeconds.ToString(CultureInfo.InvariantCulture)),
            ("X-Amz-SignedHeaders", string.Join(';', allHeaders.Keys)),
        };
        var canonicalQuery = CanonicalQuery(query);
        var signature = Sign(method, path, canonicalQuery, allHeaders, date, scope, region, secretKey);
        return $"{endpoint.Scheme}://{endpoint.Authority}{path}?{canonicalQuery}&X-Amz-Signature={signature}";
    }

    /// <summary>Checks a presigned request; null when S3 would accept it.</summary>
    /// <param name="rawPath">The path as sent (still percent-encoded).</param>
    /// <param name="rawQuery">The query as sent, without '?'.</param>
    /// <param name="header">A request header by name (null when absent).</param>
    /// <param name="secretFor">The secret of an access key, or null for an unknown key.</param>
    public static Failure? Verify(string method, string rawPath, string rawQuery, Func<string, string?> header,
        Func<string, string?> secretFor, DateTime nowUtc)
    {
        var query = ParseQuery(rawQuery);
        string? Param(string name) => query.LastOrDefault(p => p.Name == name).Value;
        if (Param("X-Amz-Algorithm") is null)
            return header("Authorization") is null
                ? new(403, "AccessDenied", "Access Denied (an upload needs the presigned URL with its signature)")
                : new(403, "AccessDenied", "This proxy accepts presigned URLs only");
        if (Param("X-Amz-Algorithm") != Algorithm)
            return new(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        if (Param("X-Amz-Credential") is not { } credential || Param("X-Amz-Signature") is not { } signature
            || Param("X-Amz-Date") is not { } date || Param("X-Amz-SignedHeaders") is not { } signedHeaders
            || Param("X-Amz-Expires") is not { } expiresText)
            return new(400, "AuthorizationQueryParametersError", "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        if (!DateTime.TryParseExact(date, DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
            return new(400, "AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires > MaxExpirySeconds)
            return new(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds from 0 to 604800");
        var scopeParts = credential.Split('/');
        if (scopeParts.Length != 5 || scopeParts[1] != date[..8] || scopeParts[3] != "s3" || scopeParts[4] != "aws4_request")
            return new(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter");
        if (secretFor(scopeParts[0]) is not { } secret)
            return new(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        if (nowUtc > signedAt.AddSeconds(expires))
            return new(403, "AccessDenied", "Request has expired");

        var headerNames = signedHeaders.Split(';');
        if (!headerNames.Contains("host"))
            return new(400, "AuthorizationQueryParametersError", "X-Amz-SignedHeaders must include host");
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in headerNames) headers[name] = header(name) ?? "";
        var path = string.Join('/', rawPath.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
        var canonicalQuery = CanonicalQuery(query.Where(p => p.Name != "X-Amz-Signature"));
        var expected = Sign(method, path, canonicalQuery, headers, date, string.Join('/', scopeParts[1..]), scopeParts[2], secret);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }

    /// <summary>Checks a request signed in its Authorization header (what SDK clients send), with the
    /// payload hash it declares in x-amz-content-sha256; null when S3 would accept the signature.</summary>
    public static Failure? VerifyHeader(string method, string rawPath, string rawQuery, Func<string, string?> header,
        Func<string, string?> secretFor, DateTime nowUtc)
    {
        var authorization = header("Authorization");
        if (authorization is null || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            return new(403, "AccessDenied", "Access Denied (no AWS4-HMAC-SHA256 Authorization header)");
        var fields = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
            return new(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.");
        var date = header("x-amz-date");
        var payload = header("x-amz-content-sha256");
        if (date is null || payload is null)
            return new(400, "InvalidRequest", "x-amz-date and x-amz-content-sha256 are required.");
        if (!DateTime.TryParseExact(date, DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
            return new(403, "AccessDenied", "X-Amz-Date is not in the ISO8601 Long Format.");
        if (Math.Abs((nowUtc - signedAt).TotalMinutes) > 15)
            return new(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        var scopeParts = credential.Split('/');
        if (scopeParts.Length != 5 || scopeParts[1] != date[..8] || scopeParts[3] != "s3" || scopeParts[4] != "aws4_request")
            return new(400, "AuthorizationHeaderMalformed", "The credential scope is malformed.");
        if (secretFor(scopeParts[0]) is not { } secret)
            return new(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in signedHeaders.Split(';')) headers[name] = header(name) ?? "";
        if (!headers.ContainsKey("host"))
            return new(400, "AuthorizationHeaderMalformed", "SignedHeaders must include host.");
        var path = string.Join('/', rawPath.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
        var canonicalQuery = CanonicalQuery(ParseQuery(rawQuery));
        var expected = Sign(method, path, canonicalQuery, headers, date, string.Join('/', scopeParts[1..]), scopeParts[2], secret, payload);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }

    private static string Sign(string method, string canonicalPath, string canonicalQuery,
        SortedDictionary<string, string> headers, string date, string scope, string region, string secretKey, string payloadHash = "UNSIGNED-PAYLOAD")
    {
        var canonicalHeaders = string.Concat(headers.Select(h => $"{h.Key}:{Collapse(h.Value)}\n"));
        var canonicalRequest = string.Join('\n', method, canonicalPath, canonicalQuery, canonicalHeaders,
            string.Join(';', headers.Keys), payloadHash);
        var stringToSign = string.Join('\n', Algorithm, date, scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date[..8]);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, stringToSign));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string CanonicalQuery(IEnumerable<(string Name, string Value)> pairs) =>
        string.Join('&', pairs.Select(p => (Name: Encode(p.Name), Value: Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

    private static List<(string Name, string Value)> ParseQuery(string rawQuery) =>
        rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(kv => (Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""))
            .ToList();

    /// <summary>RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~.</summary>
    public static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                sb.Append((char)b);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
