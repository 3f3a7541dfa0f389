using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Plusoft;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Sends Consinco's Filiais, Produtos, Clientes and Vendas to the Plusoft transactional load
/// API, mapped as a mapping file says, in batches, incrementally; or shows the mapped records (-Preview),
/// or sends the batches the API rejected again (-Pending).</summary>
[Cmdlet(VerbsData.Sync, "Plusoft", DefaultParameterSetName = SyncSet, SupportsShouldProcess = true)]
[OutputType(typeof(PlusoftBatchResult), typeof(PlusoftSyncSummary), ParameterSetName = [SyncSet, PendingSet])]
[OutputType(typeof(PSObject), ParameterSetName = [PreviewSet])]
public sealed class SyncPlusoftCommand : SyncCmdlet
{
    private const string SyncSet = "Sync";
    private const string PendingSet = "Pending";
    private const string PreviewSet = "Preview";
    private const int ProgressId = 45;

    private PlusoftMapping? _mapping;
    private ResilientHttp? _http;
    private PlusoftClient? _client;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public SyncSource? Source { get; set; }

    /// <summary>One or more entities; by default every entity the mapping maps. Always sent in the safe order.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("Filiais", "Produtos", "Clientes", "Vendas", IgnoreCase = true)]
    public string[]? Entity { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SyncSet)]
    [Parameter(Mandatory = true, ParameterSetName = PendingSet)]
    public Uri? ApiUrl { get; set; }

    /// <summary>The integration token, or the name of one saved with Save-SyncSecret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SyncSet)]
    [Parameter(Mandatory = true, ParameterSetName = PendingSet)]
    [SavedSecret(SecretKind.ApiKey)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public SecureString? ApiKey { get; set; }

    /// <summary>Sends again the batches the API rejected, reading their key ranges from the source anew.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PendingSet)]
    public SwitchParameter Pending { get; set; }

    /// <summary>Returns the mapped records instead of sending them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PreviewSet)]
    public SwitchParameter Preview { get; set; }

    [Parameter(ParameterSetName = PreviewSet)]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    [Parameter(ParameterSetName = PreviewSet)]
    [ValidateRange(1, 1_000_000)]
    public int First { get; set; } = 100;

    /// <summary>A mapping file (.psd1); the module's Mappings/Plusoft.psd1 by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MappingPath { get; set; }

    [Parameter(ParameterSetName = SyncSet)]
    [ValidateRange(1, PlusoftContract.MaxRecordsPerCall)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Days before the watermark each incremental entity reads again (rows posted late), instead of
    /// the mapping's LookbackDays; 0 turns the look-back off for this run.</summary>
    [Parameter(ParameterSetName = SyncSet)]
    [ValidateRange(0, EntityMapping.MaxLookbackDays)]
    public int LookbackDays { get; set; }

    [Parameter(ParameterSetName = SyncSet)]
    [Parameter(ParameterSetName = PendingSet)]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>The Logs folder: one file per entity and run, Logs/Rota_Vendas/Julho/15/15_07_2024_01h00_Rota_Vendas.log.</summary>
    [Parameter(ParameterSetName = SyncSet)]
    [Parameter(ParameterSetName = PendingSet)]
    [ValidateNotNullOrEmpty]
    public string? LogDirectory { get; set; }

    [Parameter(ParameterSetName = SyncSet)]
    [Parameter(ParameterSetName = PendingSet)]
    [ValidateRange(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The mapping the module ships, beside the manifest.</summary>
    private string DefaultMapping => Path.Combine(MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(SyncPlusoftCommand).Assembly.Location)!,
        "Mappings", "Plusoft.psd1");

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        var path = MappingPath is null ? DefaultMapping : ResolvePath(MappingPath);
        _mapping = RunEngine(() => PlusoftMappingReader.Read(PowerShellDataFile.Read(path), path), path);
        WriteVerbose($"Mapping: {path} ({string.Join(", ", _mapping.Entities.Select(e => $"{e.Entity.Name} <- {e.Source}"))}).");
        if (ParameterSetName == PreviewSet) return;
        var api = RunEngine(() => ApiBaseUrl.Check(ApiUrl!), ApiUrl);
        _http = new ResilientHttp(new HttpPolicyOptions { MaxAttempts = MaxAttempts });
        _client = new PlusoftClient(api, new System.Net.NetworkCredential("", ApiKey).Password, _http);
    }

    protected override void ProcessRecord()
    {
        var source = Source!;
        var entities = RunEngine(() => _mapping!.Select(Entity), MappingPath);
        // Every entity's columns are checked against the source before anything is sent.
        if (!RunEngineForItem(q => PlusoftPlanner.CreateAsync(source, _mapping!.Origin, entities, StopToken), out var plans, target: source.Name)) return;
        foreach (var plan in plans!)
        {
            LogStream(PlusoftStream.DisplayName(plan.Entity));
            if (ParameterSetName == PreviewSet) ShowPreview(source, plan);
            else if (!Send(source, plan))
            {
                var skipped = plans.SkipWhile(p => p != plan).Skip(1).Select(p => p.Entity.Name).ToList();
                if (skipped.Count > 0)
                    WriteWarning($"{string.Join(", ", skipped)} of {source.Name} not sent: {plan.Entity.Name} failed, and later entities may name its records.");
                return;
            }
        }
    }

    protected override void EndProcessing()
    {
        _http?.Dispose();
        base.EndProcessing();
    }

    /// <summary>Syncs (or with -Pending retries) one entity; false when it failed.</summary>
    private bool Send(SyncSource source, PlusoftEntityPlan plan)
    {
        var entity = plan.Entity;
        var endpoint = _client!.Endpoint(entity);
        int? lookback = MyInvocation.BoundParameters.ContainsKey(nameof(LookbackDays)) ? LookbackDays : null;
        var what = Pending ? $"Send the batches Plusoft rejected again to POST {endpoint}" : $"Send to POST {endpoint} ({plan.Describe(lookback)}, batches of {BatchSize:N0})";
        if (!ShouldProcess($"{entity.Name} from '{plan.Mapping.Source}' of {source.Provider} {source.Location}", what)) return true;
        var options = new PlusoftSyncOptions
        {
            Source = source,
            Client = _client,
            BatchSize = BatchSize,
            LookbackDays = lookback,
            StatePath = StatePath is null ? null : ResolvePath(StatePath),
            LogDirectory = LogDirectory is null ? null : ResolvePath(LogDirectory),
        };
        var progress = new PlusoftProgress();
        var clock = Stopwatch.StartNew();
        try
        {
            var ok = RunEngineForItem(q =>
            {
                void Done(PlusoftBatchResult r) => q.Post(c => ((SyncPlusoftCommand)c).Emit(r));
                return Pending
                    ? PlusoftEntityRun.RetryRejectedAsync(plan, options, q, Done, progress, StopToken)
                    : PlusoftEntityRun.SyncAsync(plan, options, q, Done, progress, StopToken);
            }, out var summary, () => ShowProgress(entity, progress, clock), target: entity.Name);
            if (!ok) return false;
            WriteVerbose($"{entity.Name}: {summary!.Rows:N0} row(s) in {summary.Batches:N0} batch(es), {summary.Delivered:N0} delivered, {summary.Rejected:N0} rejected, " +
                         $"{clock.Elapsed.TotalSeconds:N1}s" + (summary.Watermark is null ? "." : $"; continues after {summary.Watermark}.") +
                         (summary.Pending > 0 ? $" {summary.Pending:N0} rejected batch(es) wait for -Pending." : ""), SyncLogLevel.Information);
            WriteObject(summary);
            return true;
        }
        finally
        {
            if (!Stopping) WriteProgress(new ProgressRecord(ProgressId, $"Sync-Plusoft {entity.Name}", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void Emit(PlusoftBatchResult result)
    {
        if (Log is { } log)
        {
            log.Count(result.Rows, 1, result.Bytes);
            log.Write(result.Status == PlusoftBatchStatus.Delivered ? SyncLogLevel.Information : SyncLogLevel.Warning,
                $"Plusoft {result.Entity} batch #{result.Sequence} {result.Status.ToString().ToLowerInvariant()}: {result.Rows:N0} record(s), keys ({result.FirstKey}) to ({result.LastKey}), {result.Attempts} attempt(s).",
                PlusoftStream.DisplayName(PlusoftContract.Entity(result.Entity)), properties: new Dictionary<string, object?>
                {
                    ["Sequence"] = result.Sequence,
                    ["BatchRows"] = result.Rows,
                    ["BatchBytes"] = result.Bytes,
                    ["Attempts"] = result.Attempts,
                    ["BatchId"] = result.BatchId,
                });
        }
        WriteObject(result);
    }

    private void ShowPreview(SyncSource source, PlusoftEntityPlan plan)
    {
        var typeName = "DataSyncPS.Plusoft." + plan.Entity.Name;
        RunEngineForItem(q => PlusoftPreview.ReadAsync(plan, source, Skip, First, (record, key, problem) => q.Post(c =>
        {
            c.WriteObject(ApiRecordObject.From(record, typeName));
            if (problem is not null)
                c.WriteError(SyncErrorRecords.From(new SyncException(SyncErrorKind.RecordRejected,
                    $"{plan.Entity.Name} record of key ({key}) would not be sent: {problem}.", target: $"{plan.Entity.Name} ({key})")));
        }), q, StopToken), out _, target: plan.Entity.Name);
    }

    /// <summary>Rows sent and rows/s, batches delivered and rejected; a few times a second (the engine queue's tick).</summary>
    private void ShowProgress(PlusoftEntity entity, PlusoftProgress progress, Stopwatch clock)
    {
        var sent = progress.RowsSent;
        WriteProgress(new ProgressRecord(ProgressId, $"Sync-Plusoft {entity.Name}",
            $"{sent:N0} row(s) sent, {sent / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} rows/s, {progress.Delivered:N0} batch(es) delivered" +
            (progress.Rejected > 0 ? $", {progress.Rejected:N0} rejected" : ""))
        {
            CurrentOperation = progress.Activity,
        });
    }
}
