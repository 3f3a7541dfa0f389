using DataSyncPS.Engine.Schema;
using DataSyncPS.Engine.Tests.Infrastructure;
using DataSyncPS.Tests;

namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>Copy-DbStructure's safety net through Invoke-DbBackup's engine, on the real servers and tools:
/// MariaDB (whose DDL commits at once) and PostgreSQL with -Parallel (whose ranges commit as they go)
/// dumped before the first change; a failure injected mid-copy ends with the target as it was, catalog
/// and data, and an error that says what failed and that the target was restored.</summary>
public class CopySafetyNetTests
{
    public static TheoryData<ProviderKind> Engines => [ProviderKind.MariaDb, ProviderKind.PostgreSql];

    /// <summary>A drifted sandbox with rows and objects of its own: a missing table, an extra table with a
    /// row, a row only it has.</summary>
    private static async Task<SyncSource> Sandbox(ProviderKind kind, string name)
    {
        var sandbox = await SchemaDatabases.FreshAsync(kind, name);
        await SchemaDatabases.ExecAsync(sandbox, ProductionSchema.For(kind).Where(s => !s.Contains("TABLE itens") && !s.Contains("fk_ultimo_item")).ToArray());
        await SchemaDatabases.ExecAsync(sandbox, "INSERT INTO clientes (nome) VALUES ('antes')", "CREATE TABLE sobra (id int PRIMARY KEY)", "INSERT INTO sobra VALUES (7)");
        return sandbox;
    }

    private static StructureCopyOptions Options(ProviderKind kind, TempDirectory dir) => new()
    {
        IncludeData = ["clientes", "pedidos"], RemoveExtra = true, SafetyNet = new DumpSafetyNet(dir.Combine("backups")),
        Parallel = kind == ProviderKind.PostgreSql ? 2 : 0, StatePath = dir.Combine("state.db"), PageSize = 300,
    };

    [Theory, MemberData(nameof(Engines))]
    public async Task A_failure_mid_copy_restores_the_target_from_its_dump_exactly_as_it_was(ProviderKind kind)
    {
        var prod = await CopyStructureTests.Prod(kind, "net_fail_prod");
        var sandbox = await Sandbox(kind, "net_fail_sandbox");
        var before = await CopyStructureTests.Snapshot(sandbox);
        using var dir = new TempDirectory();
        var options = Options(kind, dir) with
        {
            // After the structure changed, sobra was dropped and clientes was reloaded: the worst moment.
            AfterStep = s => { if (s.Action == CopyAction.LoadData && s.Name.EndsWith("pedidos")) throw new InvalidOperationException("injected failure"); },
        };
        var plan = await StructureCopier.PlanAsync(prod, sandbox, options, default);
        Assert.Contains(plan.PlanSteps, s => s is { Action: CopyAction.Execute, ObjectKind: SchemaObjectKind.Table, Change: SchemaChange.Removed });

        var ex = await Assert.ThrowsAsync<SyncException>(() => StructureCopier.ExecuteAsync(plan, options, new RecordingObserver(), new CopyProgress(), default));

        Assert.Contains("injected failure", ex.Message);
        Assert.Contains("the target was restored from the safety backup", ex.Message);
        Assert.Equal(before, await CopyStructureTests.Snapshot(sandbox));
        // Kept after a failure: it is the admin's way back if anything else goes wrong.
        Assert.Single(Directory.GetFiles(dir.Combine("backups"), kind == ProviderKind.PostgreSql ? "*.dump" : "*.sql.gz", SearchOption.AllDirectories));
    }

    [Theory, MemberData(nameof(Engines))]
    public async Task A_copy_that_validates_deletes_its_safety_backup_unless_asked_to_keep_it(ProviderKind kind)
    {
        var prod = await CopyStructureTests.Prod(kind, "net_ok_prod");
        var sandbox = await Sandbox(kind, "net_ok_sandbox");
        using var dir = new TempDirectory();
        var options = Options(kind, dir) with { IncludeData = ["clientes", "pedidos", "itens"] };

        var result = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, options, default), options, new RecordingObserver(), new CopyProgress(), default);

        Assert.True(result.Validated);
        Assert.NotNull(result.BackupUsed);
        Assert.False(File.Exists(result.BackupUsed));
        Assert.Empty(Directory.GetFiles(dir.Combine("backups"), "*", SearchOption.AllDirectories));

        var keep = options with { KeepBackup = true, SafetyNet = new DumpSafetyNet(dir.Combine("backups")) };
        var kept = await StructureCopier.ExecuteAsync(await StructureCopier.PlanAsync(prod, sandbox, keep, default), keep, new RecordingObserver(), new CopyProgress(), default);
        Assert.True(File.Exists(kept.BackupUsed));
    }
}
