using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>Copy-DbStructure's engine on the real servers: a production-like schema with its data copied
/// into an empty or drifted sandbox, validated by the servers' own checksums; the same database refused
/// however it is spelt; a failure mid-copy leaving the target as it was.</summary>
public class CopyStructureTests
{
    public static TheoryData<ProviderKind> Engines => [ProviderKind.MariaDb, ProviderKind.PostgreSql];

    internal static async Task<SyncSource> Prod(ProviderKind kind, string name)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, name);
        await SchemaDatabases.ExecAsync(prod, ProductionSchema.For(kind));
        var q = SqlDialect.For(kind).QuoteIdentifier;
        await SchemaDatabases.ExecAsync(prod, $"CREATE TABLE {q("x'; DROP TABLE clientes; --")} ({q("a`\"b")} int PRIMARY KEY, {q("ç ñ")} varchar(10))",
            $"INSERT INTO {q("x'; DROP TABLE clientes; --")} VALUES (1, 'ãé'), (2, NULL)");
        await SchemaDatabases.ExecAsync(prod, ProductionSchema.Rows(kind));
        return prod;
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task A_schema_with_cycles_and_odd_names_is_copied_with_its_data_and_validates(ProviderKind kind)
    {
        var prod = await Prod(kind, "copy_full_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "copy_full_sandbox");
        var options = new StructureCopyOptions { IncludeData = ["*"], PageSize = 700, NoBackup = true };

        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        var result = await StructureCopier.ExecuteAsync(plan, options, new RecordingObserver(), new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.Equal(5, result.TablesCreated);
        Assert.Equal(300 + 2500 + 2500 + 2 + 2, result.RowsCopied);
        Assert.All(result.Tables, t => Assert.True(t.Matches, $"{t.Table}: {t.SourceRows}/{t.TargetRows} {t.SourceChecksum}/{t.TargetChecksum}"));
        Assert.Equal(2500L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM itens")));
        Assert.Empty(SchemaComparer.Compare(await CatalogReading.ReadAsync(prod, null, default), await CatalogReading.ReadAsync(sandbox, null, default), new SchemaFilter()));
        // Keys continue after the copied rows.
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO clientes (nome) VALUES ('novo')");
        Assert.Equal(301L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT MAX(id) FROM clientes")));
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task A_drifted_sandbox_is_altered_in_place_and_extras_stay_unless_asked(ProviderKind kind)
    {
        var prod = await Prod(kind, "copy_drift_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "copy_drift_sandbox");
        await SchemaDatabases.ExecAsync(sandbox, ProductionSchema.For(kind).Where(s => !s.Contains("TABLE itens") && !s.Contains("fk_ultimo_item") && !s.Contains("VIEW")).ToArray());
        await SchemaDatabases.ExecAsync(sandbox,
            "ALTER TABLE clientes " + (kind == ProviderKind.PostgreSql ? "ALTER COLUMN nome TYPE varchar(50)" : "MODIFY nome varchar(50) NOT NULL"),
            "CREATE INDEX idx_extra ON pedidos (qtd)",
            "CREATE TABLE sobra (id int PRIMARY KEY)",
            "INSERT INTO clientes (nome) VALUES ('só no sandbox')");

        var options = new StructureCopyOptions { NoBackup = true };
        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        Assert.Contains(plan.PlanSteps, s => s is { Action: CopyAction.Skip, ObjectKind: SchemaObjectKind.Table } && s.Name.EndsWith("sobra"));
        var result = await StructureCopier.ExecuteAsync(plan, options, new RecordingObserver(), new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.Single(result.RemainingDifferences, d => d.Name.EndsWith("sobra"));
        Assert.Equal(1L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM clientes WHERE nome = 'só no sandbox'")));

        // Again, dropping the extras and replacing the rows of an existing table that other tables reference.
        var removeExtra = options with { RemoveExtra = true, IncludeData = ["clientes"] };
        var second = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, removeExtra, default), removeExtra,
            new RecordingObserver(), new CopyProgress(), default);
        Assert.Empty(second.RemainingDifferences);
        Assert.Equal(1, second.TablesDropped);
        Assert.Equal(300, second.RowsCopied);
        Assert.Equal(0L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM clientes WHERE nome = 'só no sandbox'")));
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task The_same_database_is_refused_however_it_is_spelt(ProviderKind kind)
    {
        var prod = await SchemaDatabases.FreshAsync(kind, "copy_same");
        var other = await SourceConnector.ConnectAsync(new ConnectionSpec
        {
            Provider = kind, ConnectionString = TestServers.ConnectionString(kind), Server = "localhost", Database = prod.Database,
        }, test: true, default);
        Assert.NotEqual(prod.Identity, other.Identity);

        var ex = await Assert.ThrowsAsync<SyncException>(() => StructureCopier.PlanAsync(prod, other, new StructureCopyOptions(), default));
        Assert.Equal(SyncErrorKind.SameDatabase, ex.Kind);
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task Rows_written_to_the_source_during_the_copy_are_not_copied_and_the_run_validates_against_its_snapshot(ProviderKind kind)
    {
        // The source's checksum is read during the load on a connection of its own; on MariaDB that connection
        // has a snapshot of its own, taken after this write, so the run's snapshot must decide. (It is read
        // during the load only when the databases are on two servers; here they share one, so the test asks.)
        var prod = await Prod(kind, "copy_moving_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "copy_moving_sandbox");
        var written = false;
        var observer = new RecordingObserver();
        var options = new StructureCopyOptions
        {
            IncludeData = ["clientes"], NoBackup = true, ChecksumDuringLoad = true,
            AfterStep = s =>
            {
                if (s.Action != CopyAction.Execute || written) return;
                SchemaDatabases.ExecAsync(prod, "INSERT INTO clientes (nome) VALUES ('escrito durante a cópia')").GetAwaiter().GetResult();
                written = true;
            },
        };

        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        Assert.True(plan.SameServer);
        var result = await StructureCopier.ExecuteAsync(plan, options, observer, new CopyProgress(), default);

        Assert.True(written);
        Assert.True(result.Validated);
        var table = Assert.Single(result.Tables);
        Assert.Equal((300L, 300L), (table.SourceRows, table.TargetRows));
        Assert.Equal(table.SourceChecksum, table.TargetChecksum);
        Assert.Equal(300L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(sandbox, "SELECT COUNT(*) FROM clientes")));
        Assert.Equal(301L, Convert.ToInt64(await SchemaDatabases.ScalarAsync(prod, "SELECT COUNT(*) FROM clientes")));
        Assert.Contains(observer.VerboseMessages, m => m.Contains("the target's checksum read in") && m.Contains("after the load"));
        if (kind == ProviderKind.MariaDb)
            Assert.Contains(observer.VerboseMessages, m => m.Contains("read again in the run's snapshot"));
    }

    [Fact]
    public async Task Verbose_says_how_long_each_phase_took()
    {
        const ProviderKind kind = ProviderKind.PostgreSql;
        var prod = await SchemaDatabases.FreshAsync(kind, "copy_phases_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "copy_phases_sandbox");
        await SchemaDatabases.ExecAsync(prod, "CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        var observer = new RecordingObserver();
        var options = new StructureCopyOptions { IncludeData = ["t"], NoBackup = true };

        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default, observer);
        await StructureCopier.ExecuteAsync(plan, options, observer, new CopyProgress(), default);

        // What each phase says; how long it took is the admin's to read, never asserted.
        string[] phases =
        [
            "The source's catalog (1 table(s)) read in ", "The target's catalog (0 table(s)) read in ", "Compared and planned in ",
            "Source snapshot and target connection opened in ",
            "After the load, indexes, keys, triggers and sequences restored in ", "The target's catalog read again in ",
            "Row counts and checksums of 1 data table(s) compared in ", "Validation took ",
        ];
        foreach (var phase in phases) Assert.Contains(observer.VerboseMessages, m => m.StartsWith(phase, StringComparison.Ordinal) && m.Contains(" s"));
    }

    [Fact]
    public async Task A_failure_mid_copy_leaves_the_PostgreSQL_target_as_it_was()
    {
        const ProviderKind kind = ProviderKind.PostgreSql;
        var prod = await Prod(kind, "copy_fail_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "copy_fail_sandbox");
        await SchemaDatabases.ExecAsync(sandbox, ProductionSchema.For(kind).Where(s => !s.Contains("TABLE itens") && !s.Contains("fk_ultimo_item")).ToArray());
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO clientes (nome) VALUES ('antes')", "CREATE TABLE sobra (id int PRIMARY KEY)");
        var before = await Snapshot(sandbox);

        var options = new StructureCopyOptions
        {
            IncludeData = ["clientes", "pedidos"], RemoveExtra = true,
            AfterStep = s => { if (s.Action == CopyAction.LoadData && s.Name.EndsWith("pedidos")) throw new InvalidOperationException("injected"); },
        };
        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        var ex = await Assert.ThrowsAsync<SyncException>(() => StructureCopier.ExecuteAsync(plan, options, new RecordingObserver(), new CopyProgress(), default));

        Assert.Contains("injected", ex.Message);
        Assert.Contains("rolled back", ex.Message);
        Assert.Equal(before, await Snapshot(sandbox));
    }

    [Fact]
    public async Task A_failure_mid_copy_on_MariaDB_restores_through_the_safety_net_and_says_so()
    {
        const ProviderKind kind = ProviderKind.MariaDb;
        var prod = await Prod(kind, "copy_net_prod");
        var sandbox = await SchemaDatabases.FreshAsync(kind, "copy_net_sandbox");
        var net = new RecordingSafetyNet();
        var options = new StructureCopyOptions
        {
            IncludeData = ["clientes"], SafetyNet = net,
            AfterStep = s => { if (s.Action == CopyAction.LoadData) throw new InvalidOperationException("injected"); },
        };

        var ex = await Assert.ThrowsAsync<SyncException>(async () =>
            await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, options, default), options, new RecordingObserver(), new CopyProgress(), default));

        Assert.Equal(["backup " + sandbox.Database, "restore backup-1"], net.Calls);
        Assert.Contains("injected", ex.Message);
        Assert.Contains("restored from the safety backup backup-1", ex.Message);

        // Without a safety net the error says the target was not restored, and a warning said so before.
        var observer = new RecordingObserver();
        var bare = options with { SafetyNet = null };
        var second = await Assert.ThrowsAsync<SyncException>(async () =>
            await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, bare, default), bare, observer, new CopyProgress(), default));
        Assert.Contains("NOT restored", second.Message);
        Assert.Contains(observer.Warnings, w => w.Contains("No safety backup"));
    }

    /// <summary>Stands in for Invoke-DbBackup/Restore-DbBackup: records what the copier asked of it.</summary>
    private sealed class RecordingSafetyNet : ITargetSafetyNet
    {
        public List<string> Calls { get; } = [];

        public Task<string> BackupAsync(SyncSource target, CancellationToken ct)
        {
            Calls.Add("backup " + target.Database);
            return Task.FromResult("backup-" + Calls.Count);
        }

        public Task RestoreAsync(SyncSource target, string backup, CancellationToken ct)
        {
            Calls.Add("restore " + backup);
            return Task.CompletedTask;
        }
    }

    /// <summary>The catalog's DDL and every table's checksum.</summary>
    internal static async Task<string> Snapshot(SyncSource db)
    {
        var catalog = await CatalogReading.ReadAsync(db, null, default);
        var scripter = DdlScripter.For(db.Provider);
        var text = string.Join("\n", scripter.Items(catalog).Select(i => i.Kind + " " + i.Key + ": " + i.Definition));
        await using var c = await SourceConnector.OpenAsync(db, default);
        foreach (var t in catalog.Tables)
            text += $"\n{t.TableName} = {await TableChecksum.ReadAsync(db.Dialect!, c, t, default)}";
        return text;
    }
}
