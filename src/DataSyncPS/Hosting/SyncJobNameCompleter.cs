using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Hosting;

/// <summary>Completes -Name with the registered jobs (their manifests).</summary>
public sealed class SyncJobNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<SyncJob> jobs;
        try { jobs = JobRegistrar.ForCurrentSystem().List(); }
        catch (Exception) { return []; } // completion must never throw at the user
        var word = wordToComplete.Trim('\'', '"');
        return jobs.Where(j => j.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(j => new CompletionResult(j.Name, j.Name, CompletionResultType.ParameterValue, $"{j.Schedule} ({j.TimeZone}), {j.Scheduler}: {j.ScriptPath}"));
    }
}
