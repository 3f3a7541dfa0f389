using System.Text.Json;
using System.Text.Json.Serialization;
using DataSyncPS.Engine.Secrets;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Logging;

/// <summary>
/// The saved logging settings: logging.json in the user's data folder (DATASYNCPS_HOME) and in the
/// machine's (DATASYNCPS_MACHINE_HOME, %ProgramData%\DataSyncPS, /etc/datasyncps). A scheduled run reads
/// them on every cmdlet, so it logs without its script saying so. No secret is kept: the Seq key is a
/// saved secret's name.
/// </summary>
public static class LoggingSettingsFile
{
    public const string FileName = "logging.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string PathFor(SyncLoggingScope scope) => scope switch
    {
        SyncLoggingScope.User => Path.Combine(StateStore.DataHome, FileName),
        SyncLoggingScope.Machine => Path.Combine(SecretLocation.MachineHome, FileName),
        _ => throw new ArgumentOutOfRangeException(nameof(scope), "Only the User and Machine settings are saved."),
    };

    /// <summary>The scope's saved setting, or null when it has none. A file that cannot be read or
    /// parsed is an InvalidArgument error naming it.</summary>
    public static SyncLoggingSetting? Read(SyncLoggingScope scope) => Read(PathFor(scope), scope);

    public static SyncLoggingSetting? Read(string path, SyncLoggingScope scope)
    {
        if (!File.Exists(path)) return null;
        Saved? saved;
        try
        {
            saved = JsonSerializer.Deserialize<Saved>(File.ReadAllBytes(path), Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The logging settings file '{path}' is not valid: {ex.Message} Write it again with Set-SyncLogging -Scope {scope}.", ex, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The logging settings file '{path}' cannot be read: {ex.Message}", ex, path);
        }
        if (saved is null) return null;
        return new SyncLoggingSetting
        {
            Scope = scope,
            Enabled = saved.Enabled,
            Path = saved.Path,
            Format = saved.Format,
            RetainDays = saved.RetainDays is > 0 ? saved.RetainDays.Value : SyncLoggingSetting.DefaultRetainDays,
            Level = saved.Level,
            SeqUrl = saved.SeqUrl,
            SeqApiKeyName = saved.SeqApiKeyName,
            SettingsFile = path,
        };
    }

    /// <summary>Writes the scope's setting whole (a temporary file renamed over the old one).</summary>
    public static SyncLoggingSetting Write(SyncLoggingScope scope, SyncLoggingSetting setting) => Write(PathFor(scope), scope, setting);

    public static SyncLoggingSetting Write(string path, SyncLoggingScope scope, SyncLoggingSetting setting)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var saved = new Saved
        {
            Enabled = setting.Enabled,
            Path = setting.Path,
            Format = setting.Format,
            RetainDays = setting.RetainDays,
            Level = setting.Level,
            SeqUrl = setting.SeqUrl,
            SeqApiKeyName = setting.SeqApiKeyName,
        };
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(saved, Json));
        File.Move(temp, path, overwrite: true);
        return setting with { Scope = scope, SettingsFile = path, HasSessionSeqApiKey = false };
    }

    /// <summary>Forgets the scope's setting; true when there was one.</summary>
    public static bool Remove(SyncLoggingScope scope)
    {
        var path = PathFor(scope);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    private sealed class Saved
    {
        public bool Enabled { get; set; }
        public string? Path { get; set; }
        public SyncLogFormat Format { get; set; }
        public int? RetainDays { get; set; }
        public SyncLogLevel Level { get; set; } = SyncLogLevel.Information;
        public Uri? SeqUrl { get; set; }
        public string? SeqApiKeyName { get; set; }
    }
}
