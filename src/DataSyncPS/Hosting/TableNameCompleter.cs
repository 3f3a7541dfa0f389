using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Hosting;

/// <summary>Completes -Table from the catalog of the bound -Source, or of the source connected last
/// (a piped source is not bound while the user is typing).</summary>
public sealed class TableNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var source = (fakeBoundParameters["Source"] is { } bound ? (bound is PSObject p ? p.BaseObject : bound) as SyncSource : null)
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

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ';' or '(' or ')' or '{' or '}' or ',')
            ? "'" + name.Replace("'", "''") + "'" : name;
}
