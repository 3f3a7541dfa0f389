using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Infrastructure;
using DataSyncPS.Tests;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>Copy-DbStructure -Parallel on the real servers: tables split into key ranges on the server,
/// copied side by side, each range checkpointed in the state store; a copy stopped mid-table resumes
/// with the done ranges skipped and the others cleared and redone, every row once. And batches the
/// target refuses as too large are halved and tried again.</summary>
public class CopyRangesTests
{
    public static TheoryData<ProviderKind> Engines => [ProviderKind.MariaDb, ProviderKind.PostgreSql];

    private const int Rows = 12_000;

    /// <summary>An integer-keyed table with gaps in its keys and a table with a text-and-date composite key.</summary>
    private static async Task<SyncSource> Prod(ProviderKind kind, string name)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, name);
        var pg = kind == ProviderKind.PostgreSql;
        await SchemaDatabases.ExecAsync(prod,
            pg ? "SELECT 1" : "SET SESSION max_recursive_iterations = 100000",
            "CREATE TABLE vendas (id bigint PRIMARY KEY, filial int NOT NULL, valor decimal(12,2), nota varchar(40))",
            "CREATE TABLE lotes (codigo varchar(20) NOT NULL, dia date NOT NULL, qtd int, PRIMARY KEY (codigo, dia))",
            pg ? $"INSERT INTO vendas SELECT g * 3, g % 7, g * 1.25, 'nota ' || g FROM generate_series(1, {Rows}) g"
               : $"INSERT INTO vendas WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {Rows}) SELECT g * 3, g % 7, g * 1.25, CONCAT('nota ', g) FROM s",
            pg ? "INSERT INTO lotes SELECT 'L' || (g % 37), date '2024-01-01' + g / 37, g FROM generate_series(1, 3000) g"
               : "INSERT INTO lotes WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 3000) SELECT CONCAT('L', g % 37), DATE '2024-01-01' + INTERVAL (g DIV 37) DAY, g FROM s");
        return prod;
    }

    private static StructureCopyOptions Ranged(TempDirectory dir) => new()
    {
        IncludeData = ["*"], Parallel = 3, PageSize = 500, RowsPerRange = 1_500, StatePath = dir.Combine("state.db"), NoBackup = true,
    };

    [Theory, MemberData(nameof(Engines))]
    public async Task Parallel_key_ranges_copy_every_row_once_and_forget_their_checkpoints_once_validated(ProviderKind kind)
    {
        var prod = await Prod(kind, "rng_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "rng_sandbox");
        using var dir = new TempDirectory();
        var options = Ranged(dir);
        var copied = new System.Collections.Concurrent.ConcurrentBag<(string Table, int Range)>();
        options = options with { AfterRange = (t, r) => copied.Add((t, r.Index)) };

        var result = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, options, default), options,
            new RecordingObserver(), new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.All(result.Tables, t => Assert.True(t.Matches, $"{t.Table}: {t.SourceRows}/{t.TargetRows}"));
        var vendas = Assert.Single(result.Tables, t => t.Table.EndsWith("vendas"));
        Assert.Equal(Rows, vendas.RowsCopied);
        Assert.True(vendas.Ranges >= 8, $"vendas in {vendas.Ranges} ranges"); // 12,000 rows over a key span of 36,000, 1,500 keys a range
        var lotes = Assert.Single(result.Tables, t => t.Table.EndsWith("lotes"));
        Assert.Equal(3, lotes.Ranges); // quantiles of the composite key: 3,000 rows, a worker's share (1,000) being under 1,500
        Assert.Equal(vendas.Ranges + lotes.Ranges, copied.Count);
        Assert.Equal(copied.Count, copied.Distinct().Count());
        Assert.Equal((long)Rows, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(DISTINCT id) FROM vendas")));
        using var store = new StateStore(options.StatePath);
        foreach (var table in (await CatalogReading.ReadAsync(prod, null, default)).Tables)
            Assert.Empty(store.CopyRanges(CopyCheckpoints.KeyOf(prod, sandbox, table)));
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task A_copy_stopped_mid_table_resumes_skipping_the_done_ranges_and_redoing_the_others_once(ProviderKind kind)
    {
        var prod = await Prod(kind, "rng_resume_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "rng_resume_sandbox");
        using var dir = new TempDirectory();
        var done = 0;
        var stopping = Ranged(dir) with
        {
            IncludeData = ["vendas"],
            // The third range checkpointed ends the run as a kill would: the other workers stop mid-range, with pages committed.
            AfterRange = (_, _) => { if (Interlocked.Increment(ref done) == 3) throw new InvalidOperationException("killed"); },
        };
        var ex = await Assert.ThrowsAsync<SyncException>(async () => await StructureCopier.ExecuteAsync(
            await StructureCopier.PlanAsync(prod, sandbox, stopping, default), stopping, new RecordingObserver(), new CopyProgress(), default));
        Assert.Contains("killed", ex.Message);
        Assert.Contains("a rerun resumes", ex.Message);
        var table = (await CatalogReading.ReadAsync(prod, null, default)).Tables.Single(t => t.Name == "vendas");
        var key = CopyCheckpoints.KeyOf(prod, sandbox, table);
        int doneBefore;
        using (var store = new StateStore(stopping.StatePath))
        {
            var ranges = store.CopyRanges(key);
            doneBefore = ranges.Count(r => r.Done);
            Assert.InRange(doneBefore, 3, ranges.Count - 1);
            // A range a killed run had half loaded, or loaded without recording it: rows the rerun must not take twice.
            var open = KeyRange.Load(ranges.First(r => !r.Done).Upper)![0];
            await SchemaDatabases.ExecAsync(sandbox, $"INSERT INTO vendas (id, filial) VALUES ({open}, -1)");
        }
        var before = Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM vendas"));
        Assert.InRange(before, 1, Rows - 1);

        var resume = Ranged(dir) with { IncludeData = ["vendas"] };
        var observer = new RecordingObserver();
        var result = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, resume, default), resume, observer, new CopyProgress(), default);

        Assert.True(result.Validated);
        var vendas = Assert.Single(result.Tables);
        Assert.Equal(doneBefore, vendas.RangesResumed);
        Assert.True(vendas.RowsCopied < Rows, $"{vendas.RowsCopied} rows copied again: the done ranges were not skipped");
        Assert.True(vendas.Matches);
        Assert.Equal((long)Rows, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM vendas")));
        Assert.Equal(0L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM vendas WHERE filial = -1")));
        Assert.Contains(observer.VerboseMessages, m => m.Contains("resuming") && m.Contains($"{doneBefore} of"));
        using (var store = new StateStore(resume.StatePath)) Assert.Empty(store.CopyRanges(key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Rows_the_target_changes_on_the_way_fail_validation_naming_the_range(int parallel)
    {
        // MariaDB cannot switch triggers off for the load: a trigger only the sandbox has changes some rows.
        const ProviderKind kind = ProviderKind.MariaDb;
        var prod = await Prod(kind, "rng_check_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "rng_check_sandbox");
        await SchemaDatabases.ExecAsync(sandbox, "CREATE TABLE vendas (id bigint PRIMARY KEY, filial int NOT NULL, valor decimal(12,2), nota varchar(40))",
            "CREATE TRIGGER mexe BEFORE INSERT ON vendas FOR EACH ROW SET NEW.nota = IF(NEW.id = 30000, 'mudou', NEW.nota)");
        using var dir = new TempDirectory();
        var options = Ranged(dir) with { IncludeData = ["vendas"], Parallel = parallel };

        var ex = await Assert.ThrowsAsync<SyncException>(async () => await StructureCopier.ExecuteAsync(
            await StructureCopier.PlanAsync(prod, sandbox, options, default), options, new RecordingObserver(), new CopyProgress(), default));

        Assert.Equal(SyncErrorKind.ValidationFailed, ex.Kind);
        Assert.Contains("vendas: source 12,000 rows", ex.Message);
        if (parallel > 0) Assert.Contains("differing: range ", ex.Message);
        if (parallel > 0) Assert.Contains("30000]", ex.Message.Split("differing:")[1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Servers_set_to_other_time_zones_and_date_styles_still_validate_the_same_rows(int parallel)
    {
        // Production in São Paulo, the sandbox on UTC with other output settings: the rows are the same,
        // the text each server would make of them is not.
        const ProviderKind kind = ProviderKind.PostgreSql;
        var prod = await SchemaDatabases.FreshAsync(kind, "rng_zone_prod" + parallel);
        var sandbox = await SchemaDatabases.FreshAsync(kind, "rng_zone_sandbox" + parallel);
        await SchemaDatabases.ExecAsync(prod, $"ALTER DATABASE \"{prod.Database}\" SET timezone TO 'America/Sao_Paulo'",
            $"ALTER DATABASE \"{prod.Database}\" SET datestyle TO 'SQL, DMY'");
        await SchemaDatabases.ExecAsync(sandbox, $"ALTER DATABASE \"{sandbox.Database}\" SET timezone TO 'UTC'",
            $"ALTER DATABASE \"{sandbox.Database}\" SET extra_float_digits TO 0", $"ALTER DATABASE \"{sandbox.Database}\" SET intervalstyle TO 'iso_8601'");
        await SchemaDatabases.ExecAsync(prod,
            "CREATE TABLE eventos (id int PRIMARY KEY, quando timestamptz NOT NULL, dia date, dura interval, medida double precision)",
            "INSERT INTO eventos SELECT g, timestamptz '2024-03-01 10:00:00-03' + g * interval '7 hours', date '2024-01-01' + g, g * interval '90 minutes', g / 7.0 FROM generate_series(1, 500) g");
        using var dir = new TempDirectory();
        var options = new StructureCopyOptions { IncludeData = ["eventos"], Parallel = parallel, PageSize = 100, StatePath = dir.Combine("state.db"), NoBackup = true };

        var result = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, options, default), options, new RecordingObserver(), new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.True(Assert.Single(result.Tables).Matches);
    }

    [Fact]
    public async Task Batches_MariaDB_refuses_as_larger_than_max_allowed_packet_are_halved_and_every_row_lands_once()
    {
        const ProviderKind kind = ProviderKind.MariaDb;
        var prod = await SchemaDatabases.FreshAsync(kind, "rng_wide_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "rng_wide_sandbox");
        var packet = Convert.ToInt64(await SchemaDatabases.ScalarAsync(prod, "SELECT @@max_allowed_packet"));
        // Rows of an eighth of the packet limit: a batch of 16 is two packets' worth, one of 8 a little more than one, one of 4 fits.
        var width = (int)(packet / 8);
        await SchemaDatabases.ExecAsync(prod, "CREATE TABLE largas (id int PRIMARY KEY, corpo longtext NOT NULL)");
        for (var i = 1; i <= 16; i++) await SchemaDatabases.ExecAsync(prod, $"INSERT INTO largas VALUES ({i}, CONCAT({i}, REPEAT('x', {width})))");
        // Multi-row INSERTs: what a target that refuses LOAD DATA LOCAL INFILE is loaded with.
        var inserts = await SourceConnector.ConnectAsync(new ConnectionSpec
        {
            Provider = kind, ConnectionString = TestServers.MariaDb + ";AllowLoadLocalInfile=false", Database = sandbox.Database,
        }, test: true, default);
        var observer = new RecordingObserver();
        var options = new StructureCopyOptions { IncludeData = ["largas"], PageSize = 16, NoBackup = true };

        var result = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, inserts, options, default), options, observer, new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.Equal(16, result.RowsCopied);
        Assert.True(Assert.Single(result.Tables).Matches);
        Assert.Contains(observer.Warnings, w => w.Contains("refused a batch of 16 rows as too large") && w.Contains("8 rows per batch"));
        Assert.Contains(observer.Warnings, w => w.Contains("refused a batch of 8 rows as too large") && w.Contains("4 rows per batch"));
        Assert.Equal(16L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(DISTINCT id) FROM largas")));
    }
}
