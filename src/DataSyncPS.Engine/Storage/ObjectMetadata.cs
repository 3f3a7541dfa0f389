using System.Text;
using System.Text.Json;

namespace DataSyncPS.Engine.Storage;

/// <summary>Object metadata travels in HTTP headers, which take ASCII only: other text (a database
/// named in Portuguese) is percent-encoded behind a marker, and decoded when read back.</summary>
internal static class ObjectMetadata
{
    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>The metadata beside an object whose size and SHA-256 were not known when it was started
    /// (a multipart upload, a file in a folder).</summary>
    public const string SidecarSuffix = ".metadata.json";

    // Written and read with the JSON writer and reader, not JsonSerializer: its reflection-based
    // metadata for one small dictionary cost megabytes at the peak of a backup.
    public static byte[] ToJson(IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (k, v) in metadata) w.WriteString(k, v);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static Dictionary<string, string> FromJson(ReadOnlySpan<byte> json)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) throw new JsonException("The metadata is not a JSON object.");
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            metadata[name] = r.TokenType == JsonTokenType.String ? r.GetString()! : System.Text.Encoding.UTF8.GetString(r.ValueSpan);
        }
        return metadata;
    }

    private const string Marker = "utf-8''";

    public static string Encode(string value) =>
        value.All(c => c is >= ' ' and <= '~') && !value.StartsWith(Marker, StringComparison.Ordinal) ? value : Marker + Uri.EscapeDataString(value);

    public static string Decode(string value) =>
        value.StartsWith(Marker, StringComparison.Ordinal) ? Uri.UnescapeDataString(value[Marker.Length..]) : value;
}
