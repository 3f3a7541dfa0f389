using System.Text;

namespace DataSyncPS.Engine.Storage;

/// <summary>Object metadata travels in HTTP headers, which take ASCII only: other text (a database
/// named in Portuguese) is percent-encoded behind a marker, and decoded when read back.</summary>
internal static class ObjectMetadata
{
    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>The metadata beside an object whose size and SHA-256 were not known when it was started
    /// (a multipart upload, a file in a folder).</summary>
    public const string SidecarSuffix = ".metadata.json";

    public static byte[] ToJson(IReadOnlyDictionary<string, string> metadata) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(metadata, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    public static Dictionary<string, string> FromJson(ReadOnlySpan<byte> json) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();

    private const string Marker = "utf-8''";

    public static string Encode(string value) =>
        value.All(c => c is >= ' ' and <= '~') && !value.StartsWith(Marker, StringComparison.Ordinal) ? value : Marker + Uri.EscapeDataString(value);

    public static string Decode(string value) =>
        value.StartsWith(Marker, StringComparison.Ordinal) ? Uri.UnescapeDataString(value[Marker.Length..]) : value;
}
