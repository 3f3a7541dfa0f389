using System.Management.Automation;
using System.Net;
using System.Security;
using DataSyncPS.Engine.DataSnap;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Secrets;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Saves an API key or a credential by name, encrypted at rest, in the user's or the machine's
/// store. A DataSnap key is checked against the API first when its URL and a schema are given.</summary>
[Cmdlet(VerbsData.Save, "SyncSecret", DefaultParameterSetName = ApiKeySet, SupportsShouldProcess = true)]
[OutputType(typeof(SyncSecretInfo))]
public sealed class SaveSyncSecretCommand : SyncCmdlet
{
    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ApiKeySet)]
    public SecureString? ApiKey { get; set; }

    [Parameter(ParameterSetName = ApiKeySet)]
    [ValidateNotNull]
    public Uri? ApiUrl { get; set; }

    [Parameter(ParameterSetName = ApiKeySet)]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    [Parameter(ParameterSetName = ApiKeySet)]
    public SwitchParameter SkipValidation { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SecretScope Scope { get; set; } = SecretScope.User;

    /// <summary>Machine scope: the group (Linux, macOS) or accounts (Windows) that may read the store.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Reader { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ApiUrl is not null) RunEngine(() => ApiBaseUrl.Check(ApiUrl), ApiUrl);
        var store = SecretStore.Open(Scope);
        var kind = ParameterSetName == ApiKeySet ? "API key" : "credential";
        var existing = RunEngine(() =>
        {
            SecretStore.CheckName(Name!);
            return store.Find(Name!);
        }, Name);
        if (existing is not null && !Force)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.SecretExists,
                $"A secret named '{existing.Name}' is already saved in the {Scope} store; use -Force to replace it.", target: Name)));
        var action = existing is null ? "Save" : "Replace the saved secret";
        if (!ShouldProcess($"{kind} '{Name}' in the {Scope} secret store '{store.Location.StoreFile}'", action)) return;

        var secret = ParameterSetName == ApiKeySet ? CheckedApiKey() : NewSecret.Credential(Name!, Credential!.UserName, Credential.GetNetworkCredential().Password);
        var info = RunEngine(() => store.Save(secret, Force, Reader), Name);
        WriteVerbose($"Saved the {kind} '{info.Name}' in '{info.Path}' ({info.Protection}).");
        WriteObject(info);
    }

    private NewSecret CheckedApiKey()
    {
        var key = new NetworkCredential("", ApiKey).Password;
        if (ApiUrl is not null && Schema is not null && !SkipValidation)
        {
            WriteVerbose($"Checking the API key against schema '{Schema}' of {ApiUrl.Scheme}://{ApiUrl.Authority}.");
            IApiKeyValidator validator = new DataSnapKeyValidator();
            var schemaName = RunEngine(_ => validator.ValidateAsync(ApiUrl, Schema, key, StopToken), target: ApiUrl);
            WriteVerbose($"The API key is valid for schema '{Schema}'{(schemaName is null ? "" : $" ({schemaName})")}.");
        }
        else if (!SkipValidation)
        {
            WriteWarning($"The API key '{Name}' is saved without being checked: give -ApiUrl and -Schema to check it against the DataSnap API, or -SkipValidation to save it unchecked without this warning.");
        }
        return NewSecret.ApiKey(Name!, key, ApiUrl);
    }
}
