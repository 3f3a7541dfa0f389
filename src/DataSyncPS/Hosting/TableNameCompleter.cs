using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Hosting;

/// <summary>Completes -Table from the catalog of the bound -Source, else of the variable piped into the
/// command (<c>$pg | Export-SyncBatch -Table &lt;Tab&gt;</c>: piped input is not bound while the user
/// types), else of the source connected last in this runspace.</summary>
public sealed class TableNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var source = (fakeBoundParameters["Source"] is { } bound ? (bound is PSObject p ? p.BaseObject : bound) as SyncSource : null)
            ?? PipedVariableSource(commandAst)
            ?? SessionSources.Last;
        if (source is null || source.Provider == ProviderKind.LaravelLog) return [];
        IReadOnlyList<TableName> tables;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            tables = CatalogReader.ListTablesAsync(source, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            return []; // completion must never throw at the user
        }
        var word = wordToComplete.Trim('\'', '"');
        var defaultSchema = source.Provider switch
        {
            ProviderKind.PostgreSql => "public",
            ProviderKind.SqlServer => "dbo",
            _ => null,
        };
        return tables
            .Select(t => t.Schema is null || t.Schema == defaultSchema || source.Provider is ProviderKind.MySql or ProviderKind.MariaDb or ProviderKind.Sqlite
                ? t.Name : $"{t.Schema}.{t.Name}")
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
    }

    /// <summary>The SyncSource held by a bare variable that is the pipeline element before the command.
    /// Only a variable is read: evaluating a command while the user types could have side effects.</summary>
    private static SyncSource? PipedVariableSource(CommandAst commandAst)
    {
        if (commandAst.Parent is not PipelineAst pipeline) return null;
        var at = pipeline.PipelineElements.IndexOf(commandAst);
        if (at < 1 || pipeline.PipelineElements[at - 1] is not CommandExpressionAst { Expression: VariableExpressionAst { Splatted: false } variable })
            return null;
        try
        {
            var value = ScriptBlock.Create("$ExecutionContext.SessionState.PSVariable.GetValue($args[0])")
                .Invoke(variable.VariablePath.UserPath).FirstOrDefault()?.BaseObject;
            return value switch
            {
                SyncSource s => s,
                IEnumerable many => many.Cast<object?>().Select(o => (o is PSObject p ? p.BaseObject : o) as SyncSource).FirstOrDefault(s => s is not null),
                _ => null,
            };
        }
        catch (Exception)
        {
            return null; // completion must never throw at the user
        }
    }

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or '(' or ')' or '{' or '}' or ',')
            ? "'" + name.Replace("'", "''") + "'" : name;
}
