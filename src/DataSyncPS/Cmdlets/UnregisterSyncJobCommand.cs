using System.Management.Automation;
using DataSyncPS.Engine.Jobs;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Removes a registered job: stops and disables it in its scheduler, deletes its files and its manifest.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "SyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SyncJob))]
public sealed class UnregisterSyncJobCommand : SyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SyncJobNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Writes each removed job.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var registrar = JobRegistrar.ForCurrentSystem();
        foreach (var name in Name!)
        {
            try
            {
                var job = registrar.Find(name)
                    ?? throw new SyncException(SyncErrorKind.JobNotFound, $"No job named '{name}' is registered.", target: name);
                var plan = registrar.PlanUnregister(job);
                var steps = string.Join("\n", plan.Steps.Select(s => s.Describe()));
                if (!ShouldProcess($"Unregister the {job.Scheduler} job '{job.Name}':\n{steps}\n",
                        $"Unregister the {job.Scheduler} job '{job.Name}' ({job.Schedule}: {job.ScriptPath})?", "Unregister-SyncJob")) continue;
                registrar.Apply(plan);
                WriteVerbose($"Unregistered '{job.Name}'.");
                if (PassThru) WriteObject(job);
            }
            catch (SyncException ex)
            {
                if (SyncErrorRecords.EndsEveryItem(ex.Kind)) ThrowTerminatingError(SyncErrorRecords.From(ex, name));
                WriteError(SyncErrorRecords.From(ex, name));
            }
        }
    }
}
