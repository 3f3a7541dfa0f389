using System.Management.Automation;
using DataSyncPS.Engine.ETrack;
using DataSyncPS.Engine.Http;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Reads vehicle positions from the e-Track tracking API: the latest of every vehicle, or
/// each vehicle's history over -From/-To cut into the API's longest window.</summary>
[Cmdlet(VerbsCommon.Get, "ETrackData", DefaultParameterSetName = LatestSet)]
[OutputType(typeof(PSObject))]
public sealed class GetETrackDataCommand : SyncCmdlet
{
    private const string LatestSet = "Latest";
    private const string HistorySet = "History";
    private const int ProgressId = 45;

    /// <summary>The user as the user name and the API key as the password, or a saved credential's name.</summary>
    [Parameter(Mandatory = true)]
    [SavedSecret(SecretKind.Credential)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public PSCredential? Credential { get; set; }

    /// <summary>Start of the history (inclusive).</summary>
    [Parameter(Mandatory = true, ParameterSetName = HistorySet)]
    public DateTimeOffset From { get; set; }

    /// <summary>End of the history (exclusive); now when not given.</summary>
    [Parameter(ParameterSetName = HistorySet)]
    public DateTimeOffset To { get; set; }

    /// <summary>Plates to read; every vehicle of the account when not given.</summary>
    [Parameter(ParameterSetName = HistorySet, ValueFromPipelineByPropertyName = true)]
    [Alias("Placa")]
    [ValidateNotNullOrEmpty]
    public string[]? Vehicle { get; set; }

    [Parameter]
    public Uri ApiUrl { get; set; } = ETrackContract.DefaultApiUrl;

    [Parameter]
    [ValidateRange(1, 600)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    [Parameter]
    [ValidateRange(1, 3600)]
    public int ReadTimeoutSeconds { get; set; } = 60;

    [Parameter]
    [ValidateRange(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    private readonly List<string> _plates = new();

    protected override void ProcessRecord()
    {
        if (Vehicle is not null) _plates.AddRange(Vehicle);
    }

    protected override void EndProcessing()
    {
        var api = RunEngine(() => ApiBaseUrl.Check(ApiUrl), ApiUrl);
        var events = new EngineEventQueue();
        var credential = Credential!.GetNetworkCredential();
        using var http = new ResilientHttp(new HttpPolicyOptions
        {
            MaxAttempts = MaxAttempts,
            ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSeconds),
            ReadTimeout = TimeSpan.FromSeconds(ReadTimeoutSeconds),
        }) { OnRetry = events.Verbose };
        var client = new ETrackClient(api, credential.UserName, credential.Password, http);
        if (ParameterSetName == LatestSet)
        {
            var latest = RunEngine(_ => client.LatestAsync(StopToken), target: "ultimas-posicoes");
            events.Drain(this);
            foreach (var p in latest) WriteObject(ApiRecordObject.From(p, "DataSyncPS.ETrack.Position"));
            return;
        }

        var to = MyInvocation.BoundParameters.ContainsKey(nameof(To)) ? To : DateTimeOffset.Now;
        if (to <= From)
            ThrowTerminatingError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument,
                $"-To ({to:o}) must be after -From ({From:o}).")));
        var plates = _plates.Count > 0 ? _plates.Distinct(StringComparer.OrdinalIgnoreCase).ToList()
            : RunEngine(_ => client.VehiclesAsync(StopToken), target: "veiculos").ToList();
        events.Drain(this);
        var windows = ETrackContract.Windows(From, to, ETrackContract.MaxWindow).ToList();
        WriteVerbose($"e-Track history of {plates.Count:N0} vehicle(s) in {windows.Count:N0} window(s) of at most {ETrackContract.MaxWindow.TotalHours:N0} h.");
        var done = 0;
        foreach (var plate in plates)
        {
            foreach (var (from, until) in windows)
            {
                // One vehicle that fails is its error; the other vehicles are still read.
                if (!RunEngineForItem(_ => client.HistoryAsync(plate, from, until, StopToken), out var positions, target: plate))
                    break;
                events.Drain(this);
                foreach (var p in positions!) WriteObject(ApiRecordObject.From(p, "DataSyncPS.ETrack.Position"));
            }
            done++;
            WriteProgress(new ProgressRecord(ProgressId, "Get-ETrackData", $"{done:N0} of {plates.Count:N0} vehicle(s)")
            {
                PercentComplete = done * 100 / plates.Count,
            });
        }
        WriteProgress(new ProgressRecord(ProgressId, "Get-ETrackData", "Done") { RecordType = ProgressRecordType.Completed });
        base.EndProcessing();
    }
}
