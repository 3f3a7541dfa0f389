using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>SQL Server's own T-SQL parser (ScriptDom), standing in for the server that cannot run here:
/// SQL that does not parse fails the test with the parser's message.</summary>
internal static class TSql
{
    public static TSqlFragment Parse(string sql)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        Assert.True(errors.Count == 0, $"T-SQL does not parse: {string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}"))}\n{sql}");
        return fragment;
    }

    /// <summary>Parses <paramref name="sql"/> as one statement: a name that broke out of its quotes would make more.</summary>
    public static void ParseOne(string sql)
    {
        var statements = ((TSqlScript)Parse(sql)).Batches.SelectMany(b => b.Statements).ToList();
        Assert.True(statements.Count == 1, $"{statements.Count} statements where one was meant:\n{sql}");
    }

    /// <summary>The names of a SELECT's result columns: their aliases, or the columns they read.</summary>
    public static IReadOnlyList<string> ResultColumns(string select)
    {
        var statement = (SelectStatement)((TSqlScript)Parse(select)).Batches.Single().Statements.Single();
        var query = (QuerySpecification)statement.QueryExpression;
        return query.SelectElements.OfType<SelectScalarExpression>().Select(e => e.ColumnName?.Value
            ?? (e.Expression as ColumnReferenceExpression)?.MultiPartIdentifier.Identifiers[^1].Value
            ?? throw new InvalidOperationException($"A result column without a name: {select}")).ToList();
    }
}
