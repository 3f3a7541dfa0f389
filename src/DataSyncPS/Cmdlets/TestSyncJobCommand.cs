using System.Collections;
using System.Management.Automation;
using DataSyncPS.Engine.Jobs;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Answers, before the first night, what an unattended run of a job will use and whether it
/// works: one SyncJobCheck per check (the registration, schedule, account, pwsh, script, module, state
/// and log paths, secret stores, each secret the script names, each source it connects to).</summary>
[Cmdlet(VerbsDiagnostic.Test, "SyncJob")]
[OutputType(typeof(SyncJobCheck))]
public sealed class TestSyncJobCommand : SyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SyncJobNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Does not connect to the script's sources (no network, no database login).</summary>
    [Parameter]
    public SwitchParameter SkipSource { get; set; }

    protected override void ProcessRecord()
    {
        var registrar = JobRegistrar.ForCurrentSystem();
        foreach (var name in Name!)
        {
            SyncJob? job;
            try { job = registrar.Find(name); }
            catch (SyncException ex) { WriteError(SyncErrorRecords.From(ex, name)); continue; }
            if (job is null)
            {
                WriteError(SyncErrorRecords.From(new SyncException(SyncErrorKind.JobNotFound, $"No job named '{name}' is registered.", target: name)));
                continue;
            }
            var checks = new JobReadiness(registrar, job);
            checks.CheckRegistration();
            checks.CheckSchedule(DateTimeOffset.Now);
            checks.CheckAccount();
            checks.CheckPwsh();
            var facts = CheckScript(checks, job);
            checks.CheckModule(MyInvocation.MyCommand.Module?.Version, facts?.ImportedModule);
            checks.CheckStatePaths(facts?.StatePaths ?? []);
            checks.CheckLog();
            checks.CheckSecrets(facts?.SecretNames ?? []);
            WriteObject(checks.Checks, enumerateCollection: true);
            if (facts is not null && !SkipSource)
                foreach (var source in facts.Sources) WriteObject(CheckSource(job, source));
        }
    }

    private static ScriptFacts? CheckScript(JobReadiness checks, SyncJob job)
    {
        if (!File.Exists(job.ScriptPath))
        {
            checks.Add("Script", JobCheckStatus.Fail, $"'{job.ScriptPath}' does not exist", job.ScriptPath);
            return null;
        }
        var facts = ScriptFacts.Read(job.ScriptPath, job.Arguments);
        if (facts.Errors.Length > 0)
            checks.Add("Script", JobCheckStatus.Fail, $"{job.ScriptPath} does not parse: line {facts.Errors[0].Extent.StartLineNumber}: {facts.Errors[0].Message}", job.ScriptPath);
        else
            checks.Add("Script", JobCheckStatus.Pass,
                $"{job.ScriptPath} parses; {facts.Sources.Count} Connect-SyncSource call(s), secrets named: {(facts.SecretNames.Count == 0 ? "none" : string.Join(", ", facts.SecretNames.Distinct(StringComparer.OrdinalIgnoreCase)))}", job.ScriptPath);
        return facts;
    }

    /// <summary>Connects as the script would, paths resolved from the job's working directory, with this session's access
    /// to the saved secrets (the job's account was checked for those above).</summary>
    private SyncJobCheck CheckSource(SyncJob job, ScriptSource source)
    {
        var target = $"line {source.Line}: {source.Text.Split('\n')[0].Trim()}";
        if (source.Unknown.Count > 0)
            return Check(job, JobCheckStatus.Warn, $"not tried: {string.Join(", ", source.Unknown)} is known only when the script runs", target);
        var parameters = new Hashtable(source.Parameters, StringComparer.OrdinalIgnoreCase);
        parameters.Remove("SkipTest");
        // Relative paths are the job's working directory's, as when it runs.
        foreach (var key in new[] { "Path", "ProviderPath" })
            if (parameters[key] is string relative) parameters[key] = Path.GetFullPath(relative, job.WorkingDirectory);
        try
        {
            var result = InvokeCommand.InvokeScript(SessionState, ScriptBlock.Create(
                "param($p) Connect-SyncSource @p -ErrorAction Stop"), parameters);
            var connected = result.Select(o => o.BaseObject).OfType<SyncSource>().FirstOrDefault();
            return Check(job, JobCheckStatus.Pass,
                connected is null ? "connected" : $"{connected.Identity} connected{(connected.ServerVersion is { } v ? " (" + v + ")" : "")}", target);
        }
        catch (RuntimeException ex)
        {
            var id = ex.ErrorRecord?.FullyQualifiedErrorId?.Split(',')[0] ?? ex.GetType().Name;
            return Check(job, JobCheckStatus.Fail, $"{id}: {ex.Message}", target);
        }
    }

    private static SyncJobCheck Check(SyncJob job, JobCheckStatus status, string detail, string target) =>
        new() { Job = job.Name, Check = "Source", Status = status, Detail = detail, Target = target };
}
