using DataSyncPS.Engine.Logging;

namespace DataSyncPS;

/// <summary>The module's logging setting: log files in a folder (one per day, kept RetainDays days)
/// and/or Seq, besides the PowerShell streams. It carries the name of the saved Seq API key, never a key.</summary>
public sealed record SyncLoggingSetting
{
    public const int DefaultRetainDays = 14;

    /// <summary>Where the setting comes from; null when no scope has one (logging off).</summary>
    public SyncLoggingScope? Scope { get; init; }

    /// <summary>False for no setting, or one that turns logging off (overriding wider scopes).</summary>
    public bool Enabled { get; init; }

    /// <summary>The folder of the daily log files; null for no files.</summary>
    public string? Path { get; init; }

    public SyncLogFormat Format { get; init; } = SyncLogFormat.Text;

    public int RetainDays { get; init; } = DefaultRetainDays;

    public SyncLogLevel Level { get; init; } = SyncLogLevel.Information;

    /// <summary>The Seq server (e.g. http://seq01:5341); null for no Seq.</summary>
    public Uri? SeqUrl { get; init; }

    /// <summary>The name of the API key saved with Save-SyncSecret that goes to Seq as X-Seq-ApiKey.</summary>
    public string? SeqApiKeyName { get; init; }

    /// <summary>A session setting given its Seq key as a SecureString (kept in the session, never saved).</summary>
    public bool HasSessionSeqApiKey { get; init; }

    /// <summary>The settings file it was read from (User and Machine).</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Today's log file.</summary>
    public string? CurrentFile => Enabled && Path is not null ? RollingLogFile.FileFor(Path, Format, DateOnly.FromDateTime(DateTime.Now)) : null;

    public override string ToString() => !Enabled ? "Logging off"
        : string.Join(", ", new[] { Path is null ? null : $"{Format} files in {Path}", SeqUrl is null ? null : $"Seq {SeqUrl}" }.Where(s => s is not null));
}
