using System.Management.Automation;
using DataSyncPS.Engine.Jobs;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Lists the jobs Register-SyncJob registered, from their manifests, with their next run.</summary>
[Cmdlet(VerbsCommon.Get, "SyncJob")]
[OutputType(typeof(SyncJob))]
public sealed class GetSyncJobCommand : SyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SyncJobNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var jobs = RunEngine(() => JobRegistrar.ForCurrentSystem().List());
        foreach (var name in Name ?? ["*"])
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = jobs.Where(j => pattern.IsMatch(j.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(SyncErrorRecords.From(new SyncException(SyncErrorKind.JobNotFound, $"No job named '{name}' is registered.", target: name)));
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
