using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using DataSyncPS.Engine.Auvo;
using DataSyncPS.Engine.Http;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Reads Auvo entity lists (API v2) page by page and writes each record to the pipeline as
/// its page arrives; -Incremental keeps a watermark per entity in the state store.</summary>
[Cmdlet(VerbsCommon.Get, "AuvoData")]
[OutputType(typeof(PSObject))]
public sealed class GetAuvoDataCommand : SyncCmdlet
{
    private const int ProgressId = 44;

    /// <summary>One or more of the entity lists, collected in the order given.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("customers", "tasks", "users", "equipments", "products", "services", "teams", "segments", "questionnaires", IgnoreCase = true)]
    public string[]? Entity { get; set; }

    /// <summary>The API key as the user name and the API token as the password, or the name of a
    /// credential saved with Save-SyncSecret.</summary>
    [Parameter(Mandatory = true)]
    [SavedSecret(SecretKind.Credential)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public Uri ApiUrl { get; set; } = AuvoContract.DefaultApiUrl;

    /// <summary>The API's own filters (paramFilter), as a hashtable.</summary>
    [Parameter]
    public Hashtable? Filter { get; set; }

    /// <summary>Only records updated at or after this time.</summary>
    [Parameter]
    public DateTimeOffset Since { get; set; }

    /// <summary>Start from the entity's watermark in the state store and move it on after the last page,
    /// or, piped into Write-SyncTable, after Write-SyncTable has stored the last record.</summary>
    [Parameter]
    public SwitchParameter Incremental { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    [Parameter]
    [ValidateRange(1, AuvoContract.MaxPageSize)]
    public int PageSize { get; set; } = 100;

    /// <summary>Requests a minute at most (the account's rate limit); 0 sends as fast as answers come.</summary>
    [Parameter]
    [ValidateRange(0, 100_000)]
    public int RequestsPerMinute { get; set; }

    [Parameter]
    [ValidateRange(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    protected override void EndProcessing()
    {
        var api = RunEngine(() => ApiBaseUrl.Check(ApiUrl), ApiUrl);
        var events = new EngineEventQueue();
        var filter = Filter?.Cast<DictionaryEntry>().ToDictionary(e => Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!,
            e => e.Value is PSObject p ? p.BaseObject : e.Value);
        var state = StatePath is null ? null : ResolvePath(StatePath);
        var credential = Credential!.GetNetworkCredential();
        using var http = new ResilientHttp(new HttpPolicyOptions { MaxAttempts = MaxAttempts }) { OnRetry = events.Verbose };
        var client = new AuvoClient(api, credential.UserName, credential.Password, http, new RequestPacer(RequestsPerMinute)) { Verbose = events.Verbose };
        var clock = Stopwatch.StartNew();
        DateTimeOffset? since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : null;
        foreach (var name in Entity!)
        {
            var entity = AuvoContract.Entity(name);
            var run = RunEngine(() => AuvoRun.Start(client, entity, filter, since, Incremental, state, PageSize), entity.Name);
            try
            {
                WriteVerbose($"Auvo {entity.Name}: paramFilter {run.ParamFilter}.");
                var typeName = "DataSyncPS.Auvo." + entity.Name;
                var failed = false;
                while (true)
                {
                    if (!RunEngineForItem(_ => run.NextPageAsync(StopToken), out var page, target: entity.Name))
                    {
                        failed = true;
                        break;
                    }
                    events.Drain(this);
                    if (page is null) break;
                    foreach (var record in page.Records)
                    {
                        var item = ApiRecordObject.From(record, typeName);
                        if (run.Handoff is { } handoff) RecordWatermarks.Attach(item, handoff);
                        WriteObject(item);
                    }
                    WriteProgress(new ProgressRecord(ProgressId, $"Get-AuvoData {entity.Name}",
                        $"{run.Records:N0}{(run.TotalItems is { } t ? $" of {t:N0}" : "")} record(s), page {page.Page:N0}, {run.Records / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} records/s")
                    {
                        PercentComplete = run.TotalItems is > 0 ? (int)Math.Min(100, run.Records * 100 / run.TotalItems.Value) : -1,
                    });
                }
                if (failed) run.Fail(RunStatus.Failed, "A page could not be read.");
                else
                {
                    RunEngine(() => { run.Complete(); return 0; }, entity.Name);
                    WriteVerbose($"Auvo {entity.Name}: {run.Records:N0} record(s) in {run.Pages:N0} page(s){(!Incremental ? "" : run.Handoff!.AwaitsWriter ? "; the watermark moves when the writer after this command has stored them" : "; watermark saved")}.");
                }
            }
            catch (PipelineStoppedException)
            {
                run.Fail(RunStatus.Stopped, "Stopped.");
                throw;
            }
            finally
            {
                run.Dispose();
                // A stopping pipeline refuses output of every kind.
                if (!Stopping)
                {
                    events.Drain(this);
                    WriteProgress(new ProgressRecord(ProgressId, $"Get-AuvoData {entity.Name}", "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
        }
        base.EndProcessing();
    }
}
