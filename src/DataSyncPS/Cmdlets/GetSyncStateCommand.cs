using System.Management.Automation;
using DataSyncPS.Engine.State;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Lists the streams of a state store: watermark, last run and what waits in the outbox —
/// "what has been sent and what is waiting?" without opening SQLite.</summary>
[Cmdlet(VerbsCommon.Get, "SyncState")]
[OutputType(typeof(SyncStreamState))]
public sealed class GetSyncStateCommand : SyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(StreamNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Stream { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    protected override void ProcessRecord()
    {
        var path = StatePath is null ? null : ResolvePath(StatePath);
        if (path is null && !File.Exists(StateStore.DefaultPath))
        {
            WriteVerbose($"There is no state store at '{StateStore.DefaultPath}' yet: nothing has been exported with the default state.");
            return;
        }
        var streams = RunEngine(() => { using var store = StateStore.OpenExisting(path); return store.Streams(); }, target: path);
        foreach (var name in Stream ?? ["*"])
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = streams.Where(s => pattern.IsMatch(s.Stream) || pattern.IsMatch(s.CanonicalName)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(SyncErrorRecords.From(new SyncException(SyncErrorKind.InvalidArgument,
                    $"The state store '{path ?? StateStore.DefaultPath}' has no stream '{name}'.", target: name)));
            WriteObject(matches, enumerateCollection: true);
        }
    }
}
