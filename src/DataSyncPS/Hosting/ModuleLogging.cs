using System.Runtime.CompilerServices;
using System.Management.Automation.Runspaces;
using System.Security;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Hosting;

/// <summary>
/// Which logging setting a cmdlet uses: the session's (Set-SyncLogging -Scope Session, kept per
/// runspace and never saved), else the user's logging.json, else the machine's; and the log run that
/// setting gives a cmdlet. A setting that cannot be used (a damaged file, a missing Seq key) costs a
/// warning, once per process, never the cmdlet's work.
/// </summary>
internal static class ModuleLogging
{
    internal sealed record SessionSetting(SyncLoggingSetting Setting, SecureString? SeqApiKey);

    private static readonly ConditionalWeakTable<Runspace, SessionSetting> Sessions = new();
    private static readonly HashSet<string> Warned = new();

    public static SessionSetting? Session =>
        Runspace.DefaultRunspace is { } rs && Sessions.TryGetValue(rs, out var s) ? s : null;

    public static void SetSession(SyncLoggingSetting setting, SecureString? seqApiKey)
    {
        if (Runspace.DefaultRunspace is { } rs) Sessions.AddOrUpdate(rs, new SessionSetting(setting, seqApiKey?.Copy()));
    }

    public static bool ClearSession() => Runspace.DefaultRunspace is { } rs && Sessions.Remove(rs);

    /// <summary>The setting in force: session, user, machine; a disabled one when none has a setting.</summary>
    public static SyncLoggingSetting Effective() =>
        Session?.Setting ?? LoggingSettingsFile.Read(SyncLoggingScope.User) ?? LoggingSettingsFile.Read(SyncLoggingScope.Machine) ?? new SyncLoggingSetting();

    /// <summary>A log run for the cmdlet, or null when logging is off. <paramref name="warnings"/> gets
    /// the problems this process has not been told of yet.</summary>
    public static LogRun? Start(string cmdlet, List<string> warnings)
    {
        SyncLoggingSetting setting;
        try { setting = Effective(); }
        catch (SyncException ex)
        {
            WarnOnce(warnings, "Logging is off: " + ex.Message);
            return null;
        }
        if (!setting.Enabled || (setting.Path is null && setting.SeqUrl is null)) return null;
        string? key = null;
        if (setting.SeqUrl is not null)
        {
            if (setting.Scope == SyncLoggingScope.Session && Session?.SeqApiKey is { } secure)
                key = new System.Net.NetworkCredential("", secure).Password;
            else if (setting.SeqApiKeyName is { } name)
                key = SavedKey(name, warnings);
        }
        try
        {
            return new LogRun(SyncLogWriter.For(setting, key), setting.Level, cmdlet);
        }
        catch (SyncException ex)
        {
            WarnOnce(warnings, "Logging is off: " + ex.Message);
            return null;
        }
    }

    private static string? SavedKey(string name, List<string> warnings)
    {
        try
        {
            using var saved = SecretStore.ReadSaved(name, out var skipped);
            if (saved is not null && saved.Info.Kind == SecretKind.ApiKey) return saved.Reveal();
            if (saved is not null)
            {
                WarnOnce(warnings, $"The saved secret '{name}' is a credential, not an API key; log events go to Seq without a key.");
                return null;
            }
            WarnOnce(warnings, $"The Seq API key '{name}' is not saved (Save-SyncSecret -Name {name} -ApiKey ...); log events go to Seq without a key." + (skipped is null ? "" : " " + skipped));
        }
        catch (SyncException ex)
        {
            WarnOnce(warnings, $"The Seq API key '{name}' cannot be read ({ex.Message}); log events go to Seq without a key.");
        }
        return null;
    }

    private static void WarnOnce(List<string> warnings, string text)
    {
        lock (Warned)
        {
            if (Warned.Add(text)) warnings.Add(text);
        }
    }
}
