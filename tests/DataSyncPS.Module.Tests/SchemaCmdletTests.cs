using DataSyncPS.Module.Tests.Infrastructure;
using Npgsql;

namespace DataSyncPS.Module.Tests;

/// <summary>Compare-DbSchema and Copy-DbStructure as a user types them, on two PostgreSQL databases of the
/// test's own (prod and sandbox).</summary>
public class SchemaCmdletTests
{
    private const string Connect = """
        $prod = Connect-SyncSource -Provider PostgreSql -ConnectionString $prodCs
        $sandbox = Connect-SyncSource -Provider PostgreSql -ConnectionString $sandboxCs
        """;

    private static readonly string[] Schema =
    [
        "CREATE TABLE clientes (id serial PRIMARY KEY, nome varchar(100) NOT NULL, indicado_por int REFERENCES clientes(id))",
        "CREATE TABLE pedidos (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, cliente_id int NOT NULL REFERENCES clientes(id), total numeric(12,2))",
        "CREATE TABLE \"select\" (\"it's\" int PRIMARY KEY)",
        "INSERT INTO clientes (nome) SELECT 'c' || g FROM generate_series(1, 50) g",
        "INSERT INTO pedidos (cliente_id, total) SELECT 1 + g % 50, g FROM generate_series(1, 120) g",
    ];

    private static Dictionary<string, object?> Databases(string name)
    {
        ModuleServers.RequirePostgreSql();
        var prod = Fresh(name + "_prod");
        var sandbox = Fresh(name + "_sandbox");
        return new() { ["prodCs"] = prod, ["sandboxCs"] = sandbox };
    }

    private static string Fresh(string suffix)
    {
        var b = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql);
        var name = b.Database + "_" + suffix;
        using (var c = new NpgsqlConnection(TestEnvironment.PostgreSql))
        {
            c.Open();
            Exec(c, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            Exec(c, $"CREATE DATABASE \"{name}\"");
        }
        b.Database = name;
        return b.ConnectionString;
    }

    private static void Run(string cs, params string[] statements)
    {
        using var c = new NpgsqlConnection(cs);
        c.Open();
        foreach (var s in statements) Exec(c, s);
    }

    private static void Exec(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The sandbox's columns, constraints, indexes and every table's rows, as one text.</summary>
    private static string Snapshot(string cs)
    {
        using var c = new NpgsqlConnection(cs);
        c.Open();
        using var cmd = new NpgsqlCommand("""
            SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
              SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS x
              FROM information_schema.columns WHERE table_schema = 'public'
              UNION ALL SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
              UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
              UNION ALL SELECT 'clientes rows ' || (SELECT count(*) || ' ' || coalesce(sum(hashtext(c::text)), 0) FROM clientes c)
            ) s
            """, c);
        return (string)cmd.ExecuteScalar()!;
    }

    [Fact]
    public void Compare_DbSchema_writes_nothing_for_identical_schemas_and_one_object_per_difference_otherwise()
    {
        var vars = Databases("mod_cmp");
        Run((string)vars["prodCs"]!, Schema);
        Run((string)vars["sandboxCs"]!, Schema);
        using var rs = new ModuleRunspace();
        Assert.Empty(rs.Run(Connect + "\nCompare-DbSchema -Reference $prod -Difference $sandbox", vars).AssertNoErrors().Output);

        Run((string)vars["sandboxCs"]!, "ALTER TABLE pedidos DROP COLUMN total", "CREATE TABLE sobra (id int)");
        var r = rs.Run(Connect + "\nCompare-DbSchema $prod $sandbox", vars).AssertNoErrors();
        Assert.Equal("DataSyncPS.SchemaDifference", r.Output[0].TypeNames[0]);
        var differences = r.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(2, differences.Count);
        Assert.Contains(differences, d => d.Name == "public.pedidos.total" && d.Change.ToString() == "Added" && ((string)d.Ddl).Contains("ADD COLUMN \"total\" numeric(12,2)"));
        Assert.Contains(differences, d => d.Name == "public.sobra" && d.Change.ToString() == "Removed" && (bool)d.LosesData);

        using var dir = new TempDirectory();
        var script = rs.Run(Connect + "\nCompare-DbSchema $prod $sandbox -AsScript", vars).AssertNoErrors().Single<string>();
        Assert.Contains("DROP TABLE \"public\".\"sobra\";", script);
        rs.Run(Connect + "\nCompare-DbSchema $prod $sandbox -Table ped* -ScriptPath $path | Out-Null", new(vars) { ["path"] = dir.Combine("m.sql") }).AssertNoErrors();
        var file = File.ReadAllText(dir.Combine("m.sql"));
        Assert.Contains("ADD COLUMN \"total\"", file);
        Assert.DoesNotContain("sobra", file);
    }

    [Fact]
    public void Copy_DbStructure_WhatIf_changes_neither_structure_nor_data()
    {
        var vars = Databases("mod_whatif");
        Run((string)vars["prodCs"]!, Schema);
        Run((string)vars["sandboxCs"]!, Schema[0], "INSERT INTO clientes (nome) VALUES ('só no sandbox')", "CREATE TABLE sobra (id int)");
        var before = Snapshot((string)vars["sandboxCs"]!);
        using var rs = new ModuleRunspace();

        var r = rs.Run(Connect + "\nCopy-DbStructure $prod $sandbox -IncludeData * -RemoveExtra -WhatIf", vars).AssertNoErrors();

        Assert.Empty(r.Output);
        Assert.Equal(before, Snapshot((string)vars["sandboxCs"]!));
    }

    [Fact]
    public void Copy_DbStructure_copies_structure_and_data_and_validates()
    {
        var vars = Databases("mod_copy");
        Run((string)vars["prodCs"]!, Schema);
        Run((string)vars["sandboxCs"]!, Schema[0], "CREATE TABLE sobra (id int)");
        using var rs = new ModuleRunspace();
        using var dir = new TempDirectory();

        var r = rs.Run(Connect + "\nCopy-DbStructure $prod $sandbox -IncludeData clientes, ped* -BatchSize 7 -ReportPath $report -Confirm:$false",
            new(vars) { ["report"] = dir.Combine("copia.md") }).AssertNoErrors();

        var result = r.Single();
        Assert.Equal("DataSyncPS.StructureCopyResult", r.Output[0].TypeNames[0]);
        Assert.True((bool)result.Validated);
        Assert.Equal(170L, (long)result.RowsCopied);
        Assert.Equal(2, (int)result.TablesCreated);
        Assert.Contains(r.Warnings, w => w.Contains("sobra") && w.Contains("-RemoveExtra"));
        Assert.Contains(r.Progress, p => p.StatusDescription.Contains("rows/s"));
        Assert.Empty(rs.Run(Connect + "\nCompare-DbSchema $prod $sandbox -ExcludeTable sobra", vars).AssertNoErrors().Output);
        var report = File.ReadAllText(dir.Combine("copia.md"));
        Assert.Contains("| Validated | yes |", report);
        Assert.Contains("| public.pedidos | 120 |", report);
        Assert.Contains("CREATE TABLE \"public\".\"select\"", report);
    }

    [Fact]
    public void Copy_DbStructure_keeps_a_run_log_per_day_with_its_steps_tables_and_validation()
    {
        var vars = Databases("mod_log");
        Run((string)vars["prodCs"]!, Schema);
        using var rs = new ModuleRunspace();
        using var dir = new TempDirectory();

        rs.Run(Connect + "\nSet-SyncLogging -Scope Session -Path $logs\nCopy-DbStructure $prod $sandbox -IncludeData clientes, pedidos -Confirm:$false | Out-Null",
            new(vars) { ["logs"] = dir.Combine("logs") }).AssertNoErrors();

        var log = File.ReadAllLines(dir.Combine("logs", $"DataSyncPS-{DateTime.Now:yyyy-MM-dd}.log"));
        string[] expected =
        [
            "Copy-DbStructure started",
            "Step 1 of ",
            " done: Added Table public.clientes.",
            "public.clientes: 50 rows copied in",
            "public.pedidos: 120 rows copied in",
            "Validated: the structure matches and 2 data table(s) have the source's row counts and checksums.",
            "Copy-DbStructure completed",
        ];
        foreach (var line in expected) Assert.Contains(log, l => l.Contains("[INF]") && l.Contains(line, StringComparison.OrdinalIgnoreCase));
        // The statements themselves are verbose detail, logged only at -Level Verbose.
        Assert.DoesNotContain(log, l => l.Contains("CREATE TABLE"));
    }

    [Fact]
    public void Copy_DbStructure_refuses_the_same_database_spelt_another_way()
    {
        var vars = Databases("mod_same");
        var other = new NpgsqlConnectionStringBuilder((string)vars["prodCs"]!) { Host = "localhost" }.ConnectionString;
        using var rs = new ModuleRunspace();

        var r = rs.Run("""
            $a = Connect-SyncSource -Provider PostgreSql -ConnectionString $prodCs
            $b = Connect-SyncSource -Provider PostgreSql -ConnectionString $other
            Copy-DbStructure $a $b -Confirm:$false
            """, new(vars) { ["other"] = other });

        var error = Assert.Single(r.Errors);
        Assert.Equal("SameDatabase,DataSyncPS.Cmdlets.CopyDbStructureCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void SQL_Server_sources_reach_their_engine_and_parallel_rows_are_refused_before_any_connection()
    {
        using var rs = new ModuleRunspace();
        // Nothing listens on port 1: the cmdlets get as far as connecting, which an engine they do not support never would.
        const string sources = """
            $a = Connect-SyncSource -Provider SqlServer -ConnectionString 'Server=127.0.0.1,1;Database=prod;User ID=sa;Password=x;Connect Timeout=2' -SkipTest
            $b = Connect-SyncSource -Provider SqlServer -ConnectionString 'Server=127.0.0.1,1;Database=sandbox;User ID=sa;Password=x;Connect Timeout=2' -SkipTest
            """;

        var parallel = Assert.Single(rs.Run(sources + "\nCopy-DbStructure $a $b -IncludeData * -Parallel 2 -Confirm:$false").Errors);
        var copy = Assert.Single(rs.Run(sources + "\nCopy-DbStructure $a $b -IncludeData * -Confirm:$false").Errors);
        var compare = Assert.Single(rs.Run(sources + "\nCompare-DbSchema $a $b").Errors);

        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.CopyDbStructureCommand", parallel.FullyQualifiedErrorId);
        Assert.Contains("-NoBackup", parallel.Exception.Message);
        Assert.Equal("HostUnreachable,DataSyncPS.Cmdlets.CopyDbStructureCommand", copy.FullyQualifiedErrorId);
        Assert.Equal("HostUnreachable,DataSyncPS.Cmdlets.CompareDbSchemaCommand", compare.FullyQualifiedErrorId);
    }
}
