using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Hosting;

/// <summary>Completes -Stream from the streams of the bound -StatePath's store, or the default one.</summary>
public sealed class StreamNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var path = fakeBoundParameters["StatePath"] as string;
        if (!File.Exists(path ?? StateStore.DefaultPath)) return [];
        IReadOnlyList<SyncStreamState> streams;
        try
        {
            using var store = new StateStore(path);
            streams = store.Streams();
        }
        catch (Exception)
        {
            return []; // completion must never throw at the user, nor create a store
        }
        var word = wordToComplete.Trim('\'', '"');
        return streams.Select(s => s.Stream)
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .Select(n => new CompletionResult(n.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or '|') ? "'" + n.Replace("'", "''") + "'" : n,
                n, CompletionResultType.ParameterValue, n));
    }
}
