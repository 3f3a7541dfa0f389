using System.Management.Automation;
using System.Security;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Sets the module's logging for a scope, whole: daily log files in a folder and/or Seq
/// (-Disable turns logging off there, -Clear forgets the scope's setting so the wider one applies).
/// User and Machine settings are saved, so scheduled runs log without their scripts saying so.</summary>
[Cmdlet(VerbsCommon.Set, "SyncLogging", DefaultParameterSetName = EnableSet, SupportsShouldProcess = true)]
[OutputType(typeof(SyncLoggingSetting))]
public sealed class SetSyncLoggingCommand : SyncCmdlet
{
    private const string EnableSet = "Enable";
    private const string DisableSet = "Disable";
    private const string ClearSet = "Clear";

    /// <summary>The folder for the daily log files.</summary>
    [Parameter(Position = 0, ParameterSetName = EnableSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = EnableSet)]
    public SyncLogFormat Format { get; set; } = SyncLogFormat.Text;

    [Parameter(ParameterSetName = EnableSet)]
    [ValidateRange(1, 36500)]
    public int RetainDays { get; set; } = SyncLoggingSetting.DefaultRetainDays;

    [Parameter(ParameterSetName = EnableSet)]
    public SyncLogLevel Level { get; set; } = SyncLogLevel.Information;

    [Parameter(ParameterSetName = EnableSet)]
    [ValidateNotNull]
    public Uri? SeqUrl { get; set; }

    /// <summary>The name of an API key saved with Save-SyncSecret.</summary>
    [Parameter(ParameterSetName = EnableSet)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? SeqApiKeyName { get; set; }

    /// <summary>The key itself: for -Scope Session only (a saved setting names a saved key).</summary>
    [Parameter(ParameterSetName = EnableSet)]
    [ValidateNotNull]
    public SecureString? SeqApiKey { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DisableSet)]
    public SwitchParameter Disable { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ClearSet)]
    public SwitchParameter Clear { get; set; }

    [Parameter]
    public SyncLoggingScope Scope { get; set; } = SyncLoggingScope.User;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var setting = ParameterSetName switch
        {
            EnableSet => Enabled(),
            DisableSet => new SyncLoggingSetting { Scope = Scope, Enabled = false },
            _ => null,
        };
        var where = Scope == SyncLoggingScope.Session ? "this session" : RunEngine(() => LoggingSettingsFile.PathFor(Scope));
        var action = setting is null ? "Remove the logging setting" : $"Set logging to: {setting}";
        if (!ShouldProcess(where, action)) return;

        if (setting is null)
        {
            if (Scope == SyncLoggingScope.Session) ModuleLogging.ClearSession();
            else RunEngine(() => LoggingSettingsFile.Remove(Scope), where);
            if (PassThru) WriteObject(RunEngine(ModuleLogging.Effective));
            return;
        }
        if (Scope == SyncLoggingScope.Session)
        {
            setting = setting with { HasSessionSeqApiKey = SeqApiKey is not null };
            ModuleLogging.SetSession(setting, SeqApiKey);
        }
        else
        {
            setting = RunEngine(() => LoggingSettingsFile.Write(Scope, setting), where);
        }
        if (PassThru) WriteObject(setting);
    }

    private SyncLoggingSetting Enabled()
    {
        if (Path is null && SeqUrl is null)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument,
                "Say where the log goes: -Path (a folder for daily log files), -SeqUrl, or both. -Disable turns logging off.")));
        if (SeqApiKey is not null && Scope != SyncLoggingScope.Session)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument,
                $"A {Scope} setting is saved, and a key is not: save the key with Save-SyncSecret -Name seq -ApiKey (Read-Host -AsSecureString) and give -SeqApiKeyName seq.")));
        if ((SeqApiKey is not null || SeqApiKeyName is not null) && SeqUrl is null)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument, "A Seq API key needs -SeqUrl.")));
        if (SeqUrl is not null && (!SeqUrl.IsAbsoluteUri || SeqUrl.Scheme is not ("http" or "https")))
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument,
                $"-SeqUrl '{EndpointText.Mask(SeqUrl)}' is not an http or https URL, like http://seq01:5341.", target: EndpointText.Mask(SeqUrl))));
        return new SyncLoggingSetting
        {
            Scope = Scope,
            Enabled = true,
            Path = Path is null ? null : ResolvePath(Path),
            Format = Format,
            RetainDays = RetainDays,
            Level = Level,
            SeqUrl = SeqUrl,
            SeqApiKeyName = SeqApiKeyName,
        };
    }
}
