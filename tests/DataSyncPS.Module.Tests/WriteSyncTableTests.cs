using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Write-SyncTable as a user types it: objects, hashtables and CSV rows upserted into real
/// PostgreSQL and MariaDB tables, -WhatIf touching nothing, bad records as non-terminating errors.</summary>
public class WriteSyncTableTests
{
    private const string Pg = "$pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs";
    private static Dictionary<string, object?> Vars => new() { ["cs"] = TestEnvironment.PostgreSql, ["my"] = TestEnvironment.MariaDb };

    private static long Count(string sql) => Convert.ToInt64(ModuleServers.PostgreSqlScalar(sql));

    [Fact]
    public void Objects_and_hashtables_are_upserted_and_a_rerun_changes_nothing()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP SCHEMA IF EXISTS mt_write CASCADE");
        using var rs = new ModuleRunspace();
        const string records = """
            $records = @(
                1..7 | ForEach-Object { [pscustomobject]@{ id = $_; nome = "cliente $_"; limite = [decimal]"10.50" * $_; ativo = $true; criado = [datetimeoffset]'2024-02-01T10:00:00-03:00'; endereco = [pscustomobject]@{ cidade = 'Recife' } } }
                @{ id = 8; nome = 'hashtable'; limite = 1 }
            )
            """;
        var first = rs.Run($"{Pg}\n{records}\n$records | Write-SyncTable -Source $pg -Table mt_write.clientes -Key id -CreateTable -BatchSize 5", Vars).AssertNoErrors();
        var results = first.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("DataSyncPS.TableWriteResult", first.Output[0].TypeNames[0]);
        Assert.True((bool)results[0].Created);
        Assert.Equal(8L, results.Sum(r => (long)r.Inserted));
        Assert.Equal(8, Count("SELECT count(*) FROM mt_write.clientes"));
        Assert.Equal("jsonb", ModuleServers.PostgreSqlScalar("SELECT data_type FROM information_schema.columns WHERE table_schema = 'mt_write' AND column_name = 'endereco'"));
        Assert.Equal("Recife", ModuleServers.PostgreSqlScalar("SELECT endereco->>'cidade' FROM mt_write.clientes WHERE id = 3"));
        Assert.Equal(73.50m, ModuleServers.PostgreSqlScalar("SELECT limite FROM mt_write.clientes WHERE id = 7"));

        var again = rs.Run($"{Pg}\n{records}\n$records | Write-SyncTable -Source $pg -Table mt_write.clientes -Key id -CreateTable", Vars).AssertNoErrors();
        var r2 = (dynamic)Assert.Single(again.Output);
        Assert.Equal((0L, 0L, 8L), ((long)r2.Inserted, (long)r2.Updated, (long)r2.Unchanged));
    }

    [Fact]
    public void WhatIf_shows_the_table_it_would_create_and_touches_nothing()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP TABLE IF EXISTS mt_whatif");
        using var rs = new ModuleRunspace();
        var r = rs.Run($$"""
            {{Pg}}
            1..3 | ForEach-Object { [pscustomobject]@{ id = $_; valor = 1.5; quando = [datetime]'2024-01-01' } } |
                Write-SyncTable -Source $pg -Table mt_whatif -Key id -CreateTable -WhatIf
            """, Vars).AssertNoErrors();
        Assert.Empty(r.Output);
        Assert.Equal(0L, Count("SELECT count(*) FROM pg_class WHERE relname = 'mt_whatif'"));
        var shown = string.Join("\n", rs.Run($$"""
            {{Pg}}
            [pscustomobject]@{ id = 1; valor = 1.5; quando = [datetime]'2024-01-01' } | Write-SyncTable -Source $pg -Table mt_whatif -Key id -CreateTable -WhatIf -Verbose
            """, Vars).AssertNoErrors().Verbose);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"mt_whatif\"", shown);
        Assert.Contains("\"valor\" numeric", shown);
        Assert.Contains("\"quando\" timestamp with time zone", shown);
    }

    [Fact]
    public void A_missing_table_without_CreateTable_ends_with_TableNotFound_and_bad_records_are_non_terminating()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP TABLE IF EXISTS mt_bad; CREATE TABLE mt_bad (id bigint PRIMARY KEY, qtd integer)");
        using var rs = new ModuleRunspace();
        var missing = rs.Run($"{Pg}\n@{{ id = 1 }} | Write-SyncTable -Source $pg -Table mt_nothere -Key id", Vars);
        Assert.Equal("TableNotFound,DataSyncPS.Cmdlets.WriteSyncTableCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);

        var r = rs.Run($$"""
            {{Pg}}
            @(@{ id = 1; qtd = 5 }, @{ id = 2; qtd = 'muitos' }, @{ qtd = 3 }, @{ id = 4; qtd = '7' }) | Write-SyncTable -Source $pg -Table mt_bad -Key id
            """, Vars);
        Assert.Null(r.Terminating);
        Assert.Equal(["RecordRejected,DataSyncPS.Cmdlets.WriteSyncTableCommand", "RecordRejected,DataSyncPS.Cmdlets.WriteSyncTableCommand"],
            r.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.Contains("id=2", r.Errors[0].Exception.Message);
        Assert.Equal("id=2", r.Errors[0].TargetObject);
        var result = (dynamic)Assert.Single(r.Output);
        Assert.Equal((2L, 2L), ((long)result.Inserted, (long)result.Rejected));
        Assert.Equal(12L, Count("SELECT sum(qtd) FROM mt_bad"));
    }

    /// <summary>-Verbose shows how each batch went: straight into the table on a first load, and on a
    /// rerun one line saying the run went over to the staging table.</summary>
    [Fact]
    public void Verbose_shows_the_direct_load_and_the_one_switch_to_the_staging_table()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP TABLE IF EXISTS mt_direct");
        using var rs = new ModuleRunspace();
        const string write = "1..7 | ForEach-Object { [pscustomobject]@{ id = $_; nome = \"cliente $_\" } } | Write-SyncTable -Source $pg -Table mt_direct -Key id -CreateTable -BatchSize 3 -Verbose";
        var first = rs.Run($"{Pg}\n{write}", Vars).AssertNoErrors();
        Assert.Equal(3, first.Verbose.Count(v => v.StartsWith("COPY \"mt_direct\" (\"id\", \"nome\") FROM STDIN (FORMAT BINARY)", StringComparison.Ordinal)));
        Assert.Equal(7L, Count("SELECT count(*) FROM mt_direct"));

        var again = rs.Run($"{Pg}\n{write}", Vars).AssertNoErrors();
        Assert.Equal(7L, again.Output.Sum(o => (long)((dynamic)o).Unchanged));
        Assert.Single(again.Verbose, v => v.Contains("staging table for the rest of the run", StringComparison.Ordinal));
        Assert.Equal(3, again.Verbose.Count(v => v.StartsWith("COPY pg_temp.datasyncps_stage", StringComparison.Ordinal)));
    }

    [Fact]
    public void Text_rows_go_into_MariaDB_and_a_new_field_adds_a_column()
    {
        ModuleServers.RequireMariaDb();
        using var rs = new ModuleRunspace();
        // Rows as Import-Csv gives them: every value text (the hosted runspace has no Import-Csv).
        var r = rs.Run("""
            $my = Connect-SyncSource -Provider MariaDb -ConnectionString $my
            @([pscustomobject]@{ codigo = '1'; descricao = 'Parafuso' }, [pscustomobject]@{ codigo = '2'; descricao = 'Porca' }) |
                Write-SyncTable -Source $my -Table $t -Key codigo -CreateTable
            @([pscustomobject]@{ codigo = '2'; descricao = 'Porca sextavada'; preco = '0.35' }, [pscustomobject]@{ codigo = '3'; descricao = 'Arruela'; preco = '0.10' }) |
                Write-SyncTable -Source $my -Table $t -Key codigo -CreateTable
            """, new() { ["t"] = "mt_text_" + Guid.NewGuid().ToString("N")[..8], ["my"] = TestEnvironment.MariaDb });
        r.AssertNoErrors();
        var results = r.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal((2L, 0L), ((long)results[0].Inserted, (long)results[0].Updated));
        Assert.Equal((1L, 1L), ((long)results[1].Inserted, (long)results[1].Updated));
        Assert.Equal(["preco"], ((IEnumerable<string>)results[1].ColumnsAdded).ToList());
    }

    [Fact]
    public void A_batch_of_many_parts_takes_a_new_field_and_a_bad_record_in_its_later_parts()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP TABLE IF EXISTS mt_parts; CREATE TABLE mt_parts (id bigint PRIMARY KEY, nome text)");
        using var rs = new ModuleRunspace();
        // 2,500 records in one batch, sent to the writer 1,000 at a time: 'extra' appears in the second part,
        // and a key that is not a number sits in the third.
        const string records = """
            $records = 1..2500 | ForEach-Object {
                $id = if ($_ -eq 2200) { 'x2200' } else { $_ }
                if ($_ -ge 1500) { [pscustomobject]@{ id = $id; nome = "n$_"; extra = "e$_" } } else { [pscustomobject]@{ id = $id; nome = "n$_" } }
            }
            """;
        var whatIf = rs.Run($"{Pg}\n{records}\n$records | Write-SyncTable -Source $pg -Table mt_parts -Key id -CreateTable -BatchSize 2500 -WhatIf", Vars);
        Assert.Empty(whatIf.Errors); // records are checked when they would be written, so -WhatIf reports none
        Assert.Equal(0L, Count("SELECT count(*) FROM mt_parts"));

        var r = rs.Run($"{Pg}\n{records}\n$records | Write-SyncTable -Source $pg -Table mt_parts -Key id -CreateTable -BatchSize 2500", Vars);
        var error = Assert.Single(r.Errors);
        Assert.Equal("RecordRejected,DataSyncPS.Cmdlets.WriteSyncTableCommand", error.FullyQualifiedErrorId);
        Assert.Contains("id=x2200", error.Exception.Message);
        var results = r.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(2500L, results.Sum(x => (long)x.Records));
        Assert.Equal(2499L, results.Sum(x => (long)x.Inserted));
        Assert.Contains(results, x => ((IEnumerable<string>)x.ColumnsAdded).Contains("extra"));
        Assert.Equal(2499L, Count("SELECT count(*) FROM mt_parts"));
        Assert.Equal(1000L, Count("SELECT count(*) FROM mt_parts WHERE extra IS NOT NULL"));
        Assert.Equal("e2500", ModuleServers.PostgreSqlScalar("SELECT extra FROM mt_parts WHERE id = 2500"));
    }
}
