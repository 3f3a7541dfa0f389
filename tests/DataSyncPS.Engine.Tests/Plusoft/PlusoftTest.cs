using DataSyncPS.Emulators.Plusoft;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Plusoft;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Plusoft;

/// <summary>
/// What every Sync-Plusoft engine test does: Consinco-shaped tables of its own on one server
/// (<see cref="ConsincoSample"/>, names prefixed per test), the Plusoft emulator in-process, a state
/// store of its own, and each entity synced as the cmdlet does it: planned first, then run.
/// Subclasses run once per engine (one small sealed class per engine at the end of each file).
/// </summary>
public abstract class PlusoftTest(TestDatabase db) : IAsyncLifetime
{
    protected TestDatabase Db { get; } = db;
    protected TempDirectory Temp { get; } = new();
    protected string Prefix { get; } = "ps" + Guid.NewGuid().ToString("N")[..8] + "_";
    protected string StatePath => Temp.Combine("state.db");
    protected PlusoftEmulator Emulator { get; private set; } = null!;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual PlusoftEmulatorOptions EmulatorOptions => new();

    public async ValueTask InitializeAsync() => Emulator = await PlusoftEmulator.StartAsync(EmulatorOptions);

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        try { await Db.ExecuteAsync(Db.Kind == ProviderKind.PostgreSql ? ConsincoSample.DropPostgreSql(Prefix) : ConsincoSample.DropMariaDb(Prefix)); }
        catch (Exception) { /* a test that skipped has no server */ }
        Temp.Dispose();
    }

    protected Task CreateSampleAsync(int filiais, int produtos, int clientes, int vendas) =>
        Db.ExecuteAsync(Db.Kind == ProviderKind.PostgreSql
            ? ConsincoSample.PostgreSql(Prefix, filiais, produtos, clientes, vendas)
            : ConsincoSample.MariaDb(Prefix, filiais, produtos, clientes, vendas));

    /// <summary>UPDATE of a sample table (by its view name without prefix), quoted for the engine.</summary>
    protected Task UpdateAsync(string view, string set, string where, params object?[] args) =>
        Db.ExecuteAsync($"UPDATE {Db.Quote(Prefix + view)} SET {set} WHERE {where}", args);

    protected string Q(string column) => Db.Quote(column);

    protected sealed record SyncRun(IReadOnlyList<PlusoftSyncSummary> Summaries, IReadOnlyList<PlusoftBatchResult> Batches, RecordingObserver Observer)
    {
        public PlusoftSyncSummary Of(string entity) => Summaries.Single(s => s.Entity == entity);
    }

    protected async Task<IReadOnlyList<PlusoftEntityPlan>> PlanAsync(IReadOnlyDictionary<string, object?>? mapping = null, string[]? entities = null)
    {
        var source = await Db.ConnectAsync(Ct);
        var read = PlusoftMappingReader.Read(mapping ?? TestMapping.Data(Prefix), "test-mapping.psd1");
        return await PlusoftPlanner.CreateAsync(source, read.Origin, read.Select(entities), Ct);
    }

    /// <summary>Plans the entities, then syncs (or with <paramref name="pending"/> retries) each in turn,
    /// as Sync-Plusoft does. Retries are quick: the policy's delays are a few milliseconds.</summary>
    protected async Task<SyncRun> SyncAsync(string[]? entities = null, int batchSize = 50, bool pending = false,
        IReadOnlyDictionary<string, object?>? mapping = null, string? token = null, int maxAttempts = 6, string? logDirectory = null,
        TimeProvider? clock = null, Action<PlusoftBatchResult>? onBatch = null, CancellationToken? ct = null, int? lookbackDays = null)
    {
        var plans = await PlanAsync(mapping, entities);
        var source = await Db.ConnectAsync(Ct);
        using var http = new ResilientHttp(new HttpPolicyOptions
        {
            MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), ReadTimeout = TimeSpan.FromSeconds(20),
        });
        var options = new PlusoftSyncOptions
        {
            Source = source,
            Client = new PlusoftClient(Emulator.ApiBaseUrl, token ?? Emulator.Options.Token, http),
            BatchSize = batchSize,
            LookbackDays = lookbackDays,
            StatePath = StatePath,
            LogDirectory = logDirectory,
            Clock = clock ?? TimeProvider.System,
        };
        var observer = new RecordingObserver();
        var results = new List<PlusoftBatchResult>();
        var summaries = new List<PlusoftSyncSummary>();
        foreach (var plan in plans)
        {
            void Done(PlusoftBatchResult r)
            {
                lock (results) results.Add(r);
                onBatch?.Invoke(r);
            }
            summaries.Add(pending
                ? await PlusoftEntityRun.RetryRejectedAsync(plan, options, observer, Done, new PlusoftProgress(), ct ?? Ct)
                : await PlusoftEntityRun.SyncAsync(plan, options, observer, Done, new PlusoftProgress(), ct ?? Ct));
        }
        return new SyncRun(summaries, results, observer);
    }

    /// <summary>The entity's stream in this test's state store.</summary>
    protected async Task<StreamKey> StreamAsync(PlusoftEntity entity) =>
        PlusoftStream.Key(await Db.ConnectAsync(Ct), Emulator.ApiBaseUrl, entity);

    protected async Task<string?> WatermarkAsync(PlusoftEntity entity)
    {
        var key = await StreamAsync(entity);
        using var store = new StateStore(StatePath);
        return store.GetWatermark(key);
    }

    /// <summary>Every record of the entity the emulator stored, each received exactly once.</summary>
    protected void AssertEachOnce(string path, int count)
    {
        var received = Emulator.Received(path);
        Assert.Equal(count, received.Count);
        var twice = received.Where(r => r.Value != 1).Select(r => $"{r.Key} x{r.Value}").ToList();
        Assert.True(twice.Count == 0, $"{path}: received more than once: {string.Join(", ", twice.Take(10))}");
    }
}
