using System.Management.Automation;
using DataSyncPS.Engine.Secrets;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Removes a saved secret: from the given scope, or from the first that has it (User, then
/// Machine: the one a name resolves to).</summary>
[Cmdlet(VerbsCommon.Remove, "SyncSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SyncSecretInfo))]
public sealed class RemoveSyncSecretCommand : SyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SecretScope Scope { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var scopeGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Scope));
        try
        {
            foreach (var scope in scopeGiven ? [Scope] : new[] { SecretScope.User, SecretScope.Machine })
            {
                var store = SecretStore.Open(scope);
                SyncSecretInfo? info;
                try { info = store.Find(Name!); }
                catch (SyncException ex) when (!scopeGiven && scope == SecretScope.Machine && ex.Kind == SyncErrorKind.SecretStoreFailed)
                {
                    WriteVerbose($"The machine store is not searched: {ex.Message}");
                    info = null;
                }
                if (info is null) continue;
                if (!ShouldProcess($"{info.Kind} '{info.Name}' in the {scope} secret store '{info.Path}'", "Remove")) return;
                var removed = store.Remove(info.Name);
                WriteVerbose($"Removed the {info.Kind} '{info.Name}' from the {scope} store.");
                if (PassThru && removed is not null) WriteObject(removed);
                return;
            }
            WriteError(SyncErrorRecords.From(new SyncException(SyncErrorKind.SecretNotFound,
                $"No secret named '{Name}' is saved in the {(scopeGiven ? Scope + " store" : "User or Machine store")}.", target: Name)));
        }
        catch (SyncException ex)
        {
            WriteError(SyncErrorRecords.From(ex, Name));
        }
    }
}
