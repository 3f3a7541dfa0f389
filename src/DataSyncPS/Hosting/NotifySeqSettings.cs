using System.Collections;
using System.Management.Automation;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Hosting;

/// <summary>-NotifySeq's hashtable, with Send-SyncNotification's parameter names: SeqUrl, SeqApiKey (a
/// SecureString or the name of a key saved with Save-SyncSecret), and On = 'Always' (the default: Seq
/// keeps every run, to be queried later) or 'Failure'.</summary>
internal sealed record NotifySeqSettings(Uri Url, string? ApiKey, bool Always)
{
    private static readonly string[] Known = ["SeqUrl", "SeqApiKey", "On"];

    public static NotifySeqSettings From(Hashtable table)
    {
        foreach (var name in table.Keys.Cast<object>().Select(k => k.ToString()!))
            if (!Known.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw Bad($"-NotifySeq has an unknown key '{name}' (known: {string.Join(", ", Known)}).");
        var url = table["SeqUrl"] is { } u ? LanguagePrimitives.ConvertTo<Uri>(u) : throw Bad("-NotifySeq needs SeqUrl: the Seq server's address.");
        var on = table.ContainsKey("On") ? LanguagePrimitives.ConvertTo<string>(table["On"]) : "Always";
        if (!on.Equals("Failure", StringComparison.OrdinalIgnoreCase) && !on.Equals("Always", StringComparison.OrdinalIgnoreCase))
            throw Bad("-NotifySeq's On is 'Always' or 'Failure'.");
        string? key = null;
        if (table["SeqApiKey"] is { } k)
        {
            // The same reading as Send-SyncNotification -SeqApiKey: a saved key's name becomes the key itself.
            object? transformed;
            try { transformed = new SavedSecretAttribute(SecretKind.ApiKey).Transform(null!, k); }
            catch (ArgumentTransformationMetadataException e) { throw Bad("-NotifySeq's SeqApiKey: " + e.Message); }
            key = (transformed is PSObject p ? p.BaseObject : transformed) switch
            {
                System.Security.SecureString secure => new System.Net.NetworkCredential("", secure).Password,
                _ => throw Bad("-NotifySeq's SeqApiKey is a SecureString or the name of an API key saved with Save-SyncSecret."),
            };
        }
        return new NotifySeqSettings(url, key, on.Equals("Always", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Without the key: this record may be logged.</summary>
    public override string ToString() => $"Seq at {Url}";

    private static SyncException Bad(string message) => new(SyncErrorKind.InvalidArgument, message);
}
