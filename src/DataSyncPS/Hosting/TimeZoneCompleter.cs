using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DataSyncPS.Hosting;

/// <summary>Completes -TimeZone with the zones this machine knows.</summary>
public sealed class TimeZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        return TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.Id.Contains(word, StringComparison.OrdinalIgnoreCase))
            .Select(z => new CompletionResult("'" + z.Id + "'", z.Id, CompletionResultType.ParameterValue, z.DisplayName));
    }
}
