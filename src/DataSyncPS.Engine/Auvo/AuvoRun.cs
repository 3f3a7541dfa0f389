using System.Text.Json;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Auvo;

/// <summary>
/// One collection of an Auvo entity: the pages in order, the next one asked for while the caller
/// writes the current one out, and with -Incremental the stream's watermark (the latest
/// dateLastUpdate seen) read at the start and saved once the last page is out, under the stream's
/// lock, with a run record, as exports keep theirs. When a writer downstream claims the run's
/// <see cref="Handoff"/>, the watermark waits for that writer's last batch instead (and the lock and
/// run stay open until then). A rerun asks from the watermark itself (updatedSince is inclusive), so
/// records that shared the last second are fetched again, not lost: Write-SyncTable finds them unchanged.
/// </summary>
public sealed class AuvoRun : IDisposable
{
    private readonly AuvoClient _client;
    private readonly int _pageSize;
    private readonly StateStore? _store;
    private readonly StreamLock? _lock;
    private readonly StreamKey _key;
    private readonly long _runId;
    private Task<AuvoPage>? _next;
    private int _page;
    private bool _done;
    private DateTimeOffset? _latest;

    private AuvoRun(AuvoClient client, AuvoEntity entity, string paramFilter, int pageSize, DateTimeOffset? since,
        StateStore? store, StreamLock? streamLock, StreamKey key)
    {
        _client = client;
        Entity = entity;
        ParamFilter = paramFilter;
        _pageSize = pageSize;
        Since = since;
        _store = store;
        _lock = streamLock;
        _key = key;
        if (store is not null)
        {
            _runId = store.StartRun(key);
            Handoff = new WatermarkHandoff(DisplayName(entity), MoveWatermark, EndWithout);
        }
    }

    /// <summary>The watermark of an -Incremental run, for the records to carry to a writer; null otherwise.</summary>
    public WatermarkHandoff? Handoff { get; }

    public AuvoEntity Entity { get; }
    public string ParamFilter { get; }
    public DateTimeOffset? Since { get; }
    public long Records { get; private set; }
    public int Pages { get; private set; }
    public long? TotalItems { get; private set; }

    /// <summary>The key of an entity's stream in the state store: the API's address and the entity.</summary>
    public static StreamKey StreamKeyFor(Uri apiUrl, AuvoEntity entity) =>
        new("Auvo:" + apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/').ToLowerInvariant(), entity.Name);

    public static AuvoRun Start(AuvoClient client, AuvoEntity entity, IReadOnlyDictionary<string, object?>? filter, DateTimeOffset? since,
        bool incremental, string? statePath, int pageSize)
    {
        if (pageSize is < 1 or > AuvoContract.MaxPageSize)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"-PageSize must be 1 to {AuvoContract.MaxPageSize}.");
        var key = StreamKeyFor(client.ApiUrl, entity);
        StateStore? store = null;
        StreamLock? streamLock = null;
        if (incremental)
        {
            store = new StateStore(statePath);
            try
            {
                streamLock = store.LockStream(key, DisplayName(entity));
                if (store.GetWatermark(key) is { } text && Watermark.Parse(text).Cursor is DateTimeOffset mark && (since is null || mark > since))
                    since = mark;
            }
            catch
            {
                streamLock?.Dispose();
                store.Dispose();
                throw;
            }
        }
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in filter ?? new Dictionary<string, object?>()) parameters[name] = value;
        if (since is { } s) parameters[AuvoContract.UpdatedSinceFilter] = s.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);
        var paramFilter = JsonSerializer.Serialize(parameters);
        return new AuvoRun(client, entity, paramFilter, pageSize, since, store, streamLock, key);
    }

    private static string DisplayName(AuvoEntity entity) => "Auvo " + entity.Name;

    /// <summary>The next page, or null after the last; the one after it is already on its way.</summary>
    public async Task<AuvoPage?> NextPageAsync(CancellationToken ct)
    {
        if (_done && _next is null) return null;
        _next ??= _client.GetPageAsync(Entity, ParamFilter, ++_page, _pageSize, ct);
        AuvoPage page;
        try { page = await _next.ConfigureAwait(false); }
        catch (Http.HttpCallFailedException ex)
        {
            _next = null;
            _done = true;
            throw new SyncException(SyncErrorKind.RemoteCallFailed, ex.Message, ex, $"Auvo {Entity.Name}");
        }
        _next = null;
        Pages++;
        Records += page.Records.Count;
        TotalItems = page.TotalItems ?? TotalItems;
        foreach (var record in page.Records)
            if (record.TryGetValue(AuvoContract.UpdatedField, out var v) && v is DateTimeOffset at && (_latest is null || at > _latest)) _latest = at;
        _done = page.Records.Count < _pageSize || (page.TotalItems is { } total && (long)page.Page * _pageSize >= total);
        if (!_done) _next = _client.GetPageAsync(Entity, ParamFilter, ++_page, _pageSize, ct);
        return page;
    }

    /// <summary>The last page went out: the watermark (with -Incremental) is saved now, or when the
    /// writer that claimed it has written the last record.</summary>
    public void Complete() => Handoff?.Collected();

    /// <summary>Ends the run without moving the watermark (a failure or Ctrl+C).</summary>
    public void Fail(RunStatus status, string? message) => Handoff?.CollectionFailed(status, message ?? status.ToString());

    private void MoveWatermark()
    {
        try
        {
            if (_latest is { } latest) _store!.SetWatermark(_key, DisplayName(Entity), new Watermark([latest]).Serialize());
            _store!.EndRun(_runId, RunStatus.Succeeded, Records, Pages, $"{Records:N0} record(s) in {Pages:N0} page(s)" + (Since is null ? "" : $" updated since {Since:o}"));
        }
        finally
        {
            Release();
        }
    }

    private void EndWithout(RunStatus status, string message)
    {
        try { _store!.EndRun(_runId, status, Records, Pages, message); }
        finally { Release(); }
    }

    private void Release()
    {
        _lock?.Dispose();
        _store?.Dispose();
    }

    public void Dispose()
    {
        try { _next?.Wait(TimeSpan.FromSeconds(1)); } catch (AggregateException) { }
        // A writer holding the watermark ends the run (and releases the stream) when its last batch is in.
        if (Handoff is { AwaitsWriter: true }) return;
        Handoff?.CollectionFailed(RunStatus.Stopped, "The collection ended before its last page.");
    }
}
