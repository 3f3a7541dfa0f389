using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Hosting;

/// <summary>Completes the names of saved secrets, from both scopes (or the bound -Scope); on -Credential
/// and -ApiKey, only the secrets of that kind.</summary>
public sealed class SecretNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var scopes = fakeBoundParameters["Scope"] is { } bound && Enum.TryParse<SecretScope>(bound.ToString(), true, out var scope)
            ? [scope] : new[] { SecretScope.User, SecretScope.Machine };
        SecretKind? kind = parameterName switch { "Credential" => SecretKind.Credential, "ApiKey" => SecretKind.ApiKey, _ => null };
        var word = wordToComplete.Trim('\'', '"');
        var names = new List<string>();
        foreach (var s in scopes)
        {
            try { names.AddRange(SecretStore.Open(s).List().Where(i => kind is null || i.Kind == kind).Select(i => i.Name)); }
            catch (SyncException) { } // completion must never throw at the user
        }
        return names.Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
