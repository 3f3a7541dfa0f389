using System.Management.Automation;
using System.Security;
using DataSyncPS.Engine.Secrets;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Lists saved secrets without their values, or reads one back by name as a SecureString, a
/// PSCredential or (asked for in so many words) plain text.</summary>
[Cmdlet(VerbsCommon.Get, "SyncSecret", DefaultParameterSetName = InfoSet)]
[OutputType(typeof(SyncSecretInfo), ParameterSetName = [InfoSet])]
[OutputType(typeof(string), ParameterSetName = [PlainTextSet])]
[OutputType(typeof(SecureString), ParameterSetName = [SecureStringSet])]
[OutputType(typeof(PSCredential), ParameterSetName = [CredentialSet])]
public sealed class GetSyncSecretCommand : SyncCmdlet
{
    private const string InfoSet = "Info";
    private const string PlainTextSet = "PlainText";
    private const string SecureStringSet = "SecureString";
    private const string CredentialSet = "Credential";

    [Parameter(Position = 0, ParameterSetName = InfoSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PlainTextSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SecureStringSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public SecretScope Scope { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PlainTextSet)]
    public SwitchParameter AsPlainText { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SecureStringSet)]
    public SwitchParameter AsSecureString { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    public SwitchParameter AsCredential { get; set; }

    private bool ScopeGiven => MyInvocation.BoundParameters.ContainsKey(nameof(Scope));

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == InfoSet) WriteInfos();
            else WriteValue();
        }
        catch (SyncException ex)
        {
            WriteError(SyncErrorRecords.From(ex, Name));
        }
    }

    private void WriteInfos()
    {
        var pattern = WildcardPattern.Get(Name ?? "*", WildcardOptions.IgnoreCase);
        var found = false;
        foreach (var scope in ScopeGiven ? [Scope] : new[] { SecretScope.User, SecretScope.Machine })
        {
            IReadOnlyList<SyncSecretInfo> secrets;
            try { secrets = SecretStore.Open(scope).List(); }
            catch (SyncException ex) when (!ScopeGiven && scope == SecretScope.Machine && ex.Kind == SyncErrorKind.SecretStoreFailed)
            {
                WriteVerbose($"The machine secrets are not listed: {ex.Message}");
                continue;
            }
            foreach (var info in secrets.Where(i => pattern.IsMatch(i.Name)))
            {
                found = true;
                WriteObject(info);
            }
        }
        if (!found && Name is not null && !WildcardPattern.ContainsWildcardCharacters(Name))
            WriteError(SyncErrorRecords.From(NotFound()));
    }

    private void WriteValue()
    {
        string? skipped = null;
        using var value = (ScopeGiven ? ReadFrom(Scope) : SecretStore.ReadSaved(Name!, out skipped))
            ?? throw NotFound(skipped);
        WriteVerbose($"Read the {value.Info.Kind} '{value.Info.Name}' from the {value.Info.Scope} store.");
        if (AsPlainText) WriteObject(value.Reveal());
        else if (AsSecureString) WriteObject(value.ToSecureString());
        else if (value.Info.Kind == SecretKind.Credential) WriteObject(new PSCredential(value.Info.UserName!, value.ToSecureString()));
        else throw new SyncException(SyncErrorKind.InvalidArgument, $"'{value.Info.Name}' is an API key, which has no user name: use -AsSecureString or -AsPlainText.", target: Name);
    }

    private SecretValue? ReadFrom(SecretScope scope)
    {
        var store = SecretStore.Open(scope);
        return store.Find(Name!) is null ? null : store.Read(Name!);
    }

    private SyncException NotFound(string? skipped = null) =>
        new(SyncErrorKind.SecretNotFound,
            $"No secret named '{Name}' is saved in the {(ScopeGiven ? Scope + " store" : "User or Machine store")}." + (skipped is null ? "" : " " + skipped), target: Name);
}
