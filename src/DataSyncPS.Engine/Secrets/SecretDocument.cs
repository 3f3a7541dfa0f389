using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataSyncPS.Engine.Secrets;

/// <summary>The store file, secrets.json: a format number, how values are protected, and the entries.
/// Written whole to a temporary file, flushed, then renamed over the old one, so a reader or a crash sees
/// the old file or the new one, never half of one.</summary>
internal sealed class SecretDocument
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public int Format { get; set; } = CurrentFormat;
    public required string Protection { get; set; }
    public List<SecretEntry> Secrets { get; set; } = [];

    public SecretEntry? Find(string name) => Secrets.Find(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The store, or null when there is no store file yet.</summary>
    public static SecretDocument? Load(SecretLocation location)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(location.StoreFile); }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { return null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.SecretStoreFailed, $"The {location.Scope} secret store '{location.StoreFile}' cannot be read: {ex.Message}" +
                (location.Scope == SecretScope.Machine ? " Only root (Administrators, SYSTEM) and the readers named with -Reader can read machine secrets." : ""),
                ex, location.StoreFile);
        }
        try
        {
            var document = JsonSerializer.Deserialize<SecretDocument>(bytes, Json);
            if (document is null || document.Format != CurrentFormat)
                throw new JsonException($"format {document?.Format.ToString() ?? "missing"}, {CurrentFormat} expected");
            return document;
        }
        catch (JsonException ex)
        {
            throw new SyncException(SyncErrorKind.SecretUnreadable, $"The secret store '{location.StoreFile}' is damaged ({ex.Message}).", ex, location.StoreFile);
        }
    }

    /// <summary>Replaces the store file atomically. <paramref name="beforeReplace"/> lets tests fail a write half-way.</summary>
    public void Save(SecretLocation location, Action<string>? beforeReplace = null)
    {
        var temp = Path.Combine(location.Folder, $"secrets.json.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = location.FileMode;
            using (var stream = new FileStream(temp, options))
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, location.FileMode);
                JsonSerializer.Serialize(stream, this, Json);
                stream.Flush(flushToDisk: true);
            }
            beforeReplace?.Invoke(temp);
            File.Move(temp, location.StoreFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.SecretStoreFailed, $"The secret store '{location.StoreFile}' cannot be written: {ex.Message}", ex, location.StoreFile);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
