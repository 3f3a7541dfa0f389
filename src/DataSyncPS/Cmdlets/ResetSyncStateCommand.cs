using System.Management.Automation;
using DataSyncPS.Engine.State;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Forgets streams' watermarks so their next export starts from the beginning. The outbox
/// stays: unsent batches are still sent, and sequences keep growing.</summary>
[Cmdlet(VerbsCommon.Reset, "SyncState", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SyncStreamState))]
public sealed class ResetSyncStateCommand : SyncCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(StreamNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Stream { get; set; }

    [Parameter(ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Streams from Get-SyncState.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public SyncStreamState? InputObject { get; set; }

    /// <summary>Writes each stream as it is after the reset.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            Reset(InputObject.StatePath, [InputObject]);
            return;
        }
        var path = StatePath is null ? null : ResolvePath(StatePath);
        var streams = RunEngine(() => { using var store = StateStore.OpenExisting(path); return store.Streams(); }, target: path);
        var matched = new List<SyncStreamState>();
        foreach (var name in Stream!)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = streams.Where(s => pattern.IsMatch(s.Stream) || pattern.IsMatch(s.CanonicalName)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument,
                    $"The state store '{path ?? StateStore.DefaultPath}' has no stream '{name}'.", target: name)));
            matched.AddRange(matches.Where(m => !matched.Contains(m)));
        }
        Reset(path, matched);
    }

    private void Reset(string? path, IReadOnlyList<SyncStreamState> streams)
    {
        foreach (var s in streams)
        {
            if (!ShouldProcess($"stream '{s.Stream}' of {s.Source} in '{s.StatePath}'",
                    "Forget the watermark (the next export starts from the beginning)")) continue;
            try
            {
                using var store = StateStore.OpenExisting(s.StatePath);
                store.ResetStreamExclusively(new StreamKey(s.Source, s.CanonicalName), s.Stream);
                WriteVerbose($"Stream '{s.Stream}' of {s.Source} was reset.");
                if (PassThru) WriteObject(store.Streams().FirstOrDefault(x => x.StreamKey == s.StreamKey));
            }
            catch (SyncException ex)
            {
                // A stream being exported right now is that stream's error; the others are still reset.
                if (SyncErrorRecords.EndsEveryItem(ex.Kind)) ThrowTerminatingError(SyncErrorRecords.From(ex, s));
                WriteError(SyncErrorRecords.From(ex, s));
            }
        }
    }
}
