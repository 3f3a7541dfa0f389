using System.Management.Automation;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Hosting;

/// <summary>
/// Lets a secret parameter take the name of a saved secret (Save-SyncSecret): -Credential erp-reader,
/// -ApiKey datasnap. The user's store is searched first, then the machine's. On a PSCredential parameter a
/// string that names no saved secret keeps the usual meaning of [Credential]: a user name, prompting
/// for its password. The secret is decrypted only here, at binding, and goes on as a SecureString.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SavedSecretAttribute : ArgumentTransformationAttribute
{
    public SavedSecretAttribute(SecretKind kind) => Kind = kind;

    public SecretKind Kind { get; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if ((inputData is PSObject p ? p.BaseObject : inputData) is string name && name.Length > 0)
        {
            SecretValue? saved;
            string? skipped;
            try { saved = SecretStore.ReadSaved(name, out skipped); }
            catch (SyncException ex) { throw new ArgumentTransformationMetadataException(ex.Message, ex); }
            if (saved is not null)
            {
                using (saved)
                {
                    if (saved.Info.Kind != Kind)
                        throw new ArgumentTransformationMetadataException($"The saved secret '{saved.Info.Name}' is {Article(saved.Info.Kind)}, not {Article(Kind)}.");
                    return Kind == SecretKind.Credential ? new PSCredential(saved.Info.UserName!, saved.ToSecureString()) : saved.ToSecureString();
                }
            }
            if (Kind == SecretKind.ApiKey)
                throw new ArgumentTransformationMetadataException(
                    $"No API key named '{name}' is saved; save it with Save-SyncSecret -Name {name} -ApiKey, or pass a SecureString." + (skipped is null ? "" : " " + skipped));
        }
        return Kind == SecretKind.Credential ? new CredentialAttribute().Transform(engineIntrinsics, inputData) : inputData;
    }

    private static string Article(SecretKind kind) => kind == SecretKind.ApiKey ? "an API key" : "a credential";
}
