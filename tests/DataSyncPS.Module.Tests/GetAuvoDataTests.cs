using System.Text.Json.Nodes;
using DataSyncPS.Emulators.Auvo;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Get-AuvoData against the Auvo emulator, as a user types it: paging, typed records, token
/// renewal, 429, saved credentials, and the seed's daily job (Auvo into PostgreSQL) end to end.</summary>
[Collection(nameof(SecretHomeCollection))]
public class GetAuvoDataTests
{
    private static Dictionary<string, object?> Vars(AuvoEmulator e, TempDirectory dir) => new()
    {
        ["api"] = e.ApiBaseUrl,
        ["cred"] = new System.Management.Automation.PSCredential(e.Options.ApiKey, new System.Net.NetworkCredential("", e.Options.ApiToken).SecurePassword),
        ["state"] = dir.Combine("state.db"),
        ["cs"] = TestEnvironment.PostgreSql,
    };

    [Fact]
    public async Task Records_come_typed_page_by_page_with_their_natural_key()
    {
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("customers", 25);
        e.Seed("tasks", 3);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("Get-AuvoData customers, tasks -ApiUrl $api -Credential $cred -PageSize 10", Vars(e, dir)).AssertNoErrors();
        Assert.Equal(28, r.Output.Count);
        Assert.Equal("DataSyncPS.Auvo.customers", r.Output[0].TypeNames[0]);
        Assert.Equal("DataSyncPS.Auvo.tasks", r.Output[^1].TypeNames[0]);
        dynamic c = r.Output[1];
        Assert.Equal(2L, (long)c.id);
        Assert.Equal("Cliente São João nº 2", (string)c.description);
        Assert.IsType<decimal>((object)c.creditLimit);
        Assert.IsType<DateTimeOffset>((object)c.dateLastUpdate);
        Assert.IsType<DateOnly>((object)c.registrationDate);
        Assert.Equal("Recife", (string)c.address.city);
        Assert.Equal(3, e.Calls.Count(x => x.Entity == "customers"));
        Assert.Equal([10, 10, 10], e.Calls.Where(x => x.Entity == "customers").Select(x => x.PageSize));
        Assert.Equal(1, e.Logins);
    }

    [Fact]
    public async Task An_expired_token_is_renewed_and_429_is_waited_out()
    {
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("customers", 30);
        e.Faults.Next(AuvoFault.ExpireToken, 1);
        e.Faults.Next(AuvoFault.TooManyRequests, 2, retryAfter: 0);
        e.Faults.Next(AuvoFault.InternalError, 1);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("Get-AuvoData customers -ApiUrl $api -Credential $cred -PageSize 10 -Verbose", Vars(e, dir)).AssertNoErrors();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), r.Output.Select(o => (long)((dynamic)o).id));
        Assert.Equal(2, e.Logins);
        Assert.Contains(r.Verbose, v => v.Contains("logging in again"));
        Assert.Contains(r.Verbose, v => v.Contains("429"));
        Assert.DoesNotContain(r.Verbose, v => v.Contains(e.Options.ApiToken));
    }

    [Fact]
    public async Task A_refused_token_is_Unauthorized_and_a_saved_credential_works_by_name()
    {
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("users", 2);
        using var dir = new TempDirectory();
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        var wrong = rs.Run("Get-AuvoData users -ApiUrl $api -Credential ([pscredential]::new('auvo-key', [System.Net.NetworkCredential]::new('', 'wrong').SecurePassword))", Vars(e, dir));
        Assert.Equal("Unauthorized,DataSyncPS.Cmdlets.GetAuvoDataCommand", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
        rs.Run("Save-SyncSecret -Name auvo -Credential $cred", Vars(e, dir)).AssertNoErrors();
        var r = rs.Run("Get-AuvoData users -ApiUrl $api -Credential auvo", Vars(e, dir)).AssertNoErrors();
        Assert.Equal(2, r.Output.Count);
    }

    [Fact]
    public async Task Filter_and_Since_go_into_paramFilter()
    {
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("customers", 10);
        e.Now = e.Now.AddDays(1);
        e.Change("customers", 4, r => r["description"] = "mudou");
        e.Change("customers", 7, r => r["description"] = "mudou");
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var since = rs.Run("Get-AuvoData customers -ApiUrl $api -Credential $cred -Since ([datetimeoffset]'2024-01-02T00:00:00-03:00')", Vars(e, dir)).AssertNoErrors();
        Assert.Equal([4L, 7L], since.Output.Select(o => (long)((dynamic)o).id));
        var filtered = rs.Run("Get-AuvoData customers -ApiUrl $api -Credential $cred -Filter @{ description = 'mudou'; active = $true }", Vars(e, dir)).AssertNoErrors();
        Assert.Equal([4L], filtered.Output.Select(o => (long)((dynamic)o).id));
        Assert.Contains("\"active\":true", e.Calls.Last().Filter);
    }

    private const string WatermarkJob = """
        $pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
        Get-AuvoData -Entity customers -Incremental -StatePath $state -ApiUrl $api -Credential $cred -PageSize 10 |
            Write-SyncTable -Source $pg -Table mt_auvo_wm.customers -Key id -CreateTable -BatchSize 10
        """;

    private static long Records(RunResult r) => r.Output.Sum(o => (long)((dynamic)o).Records);

    /// <summary>Write-SyncTable's last batch is written after Get-AuvoData has ended: the watermark
    /// waits for it. A last batch the server refuses leaves the watermark where it was, so the next run
    /// fetches those records again; a run that writes everything moves it.</summary>
    [Fact]
    public async Task The_watermark_moves_only_after_Write_SyncTable_wrote_the_last_batch()
    {
        ModuleServers.RequirePostgreSql();
        // The server refuses record 25, the last one, in Write-SyncTable's last batch (21-25).
        ModuleServers.PostgreSql("DROP SCHEMA IF EXISTS mt_auvo_wm CASCADE; CREATE SCHEMA mt_auvo_wm; CREATE TABLE mt_auvo_wm.customers (id bigint PRIMARY KEY CONSTRAINT no_25 CHECK (id <> 25))");
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("customers", 25);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var failed = rs.Run(WatermarkJob, Vars(e, dir));
        // A statement-terminating error: the batch that holds the last record was refused.
        Assert.Equal("QueryFailed,DataSyncPS.Cmdlets.WriteSyncTableCommand", Assert.Single(failed.Errors).FullyQualifiedErrorId);
        Assert.Equal(20L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_auvo_wm.customers")));

        // Fixed, the next incremental run asks for every record again: nothing was skipped.
        ModuleServers.PostgreSql("ALTER TABLE mt_auvo_wm.customers DROP CONSTRAINT no_25");
        var again = rs.Run(WatermarkJob, Vars(e, dir)).AssertNoErrors();
        Assert.Equal(25L, Records(again));
        Assert.Equal(25L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_auvo_wm.customers")));

        // That run wrote everything, so the watermark moved: only the record at it comes again.
        var third = rs.Run(WatermarkJob, Vars(e, dir)).AssertNoErrors();
        Assert.Equal(1L, Records(third));
    }

    /// <summary>A record Write-SyncTable rejects (a non-terminating error) is not in the table either:
    /// the watermark stays, a warning says so, and the next run brings the record again.</summary>
    [Fact]
    public async Task A_rejected_record_keeps_the_watermark_where_it_was()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP SCHEMA IF EXISTS mt_auvo_wm2 CASCADE");
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("customers", 12);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var job = WatermarkJob.Replace("mt_auvo_wm.", "mt_auvo_wm2.");
        rs.Run(job, Vars(e, dir)).AssertNoErrors();

        e.Now = e.Now.AddDays(1);
        e.Change("customers", 3, r => r["description"] = "mudou");
        e.Change("customers", 7, r => r["creditLimit"] = "muito");
        var rejected = rs.Run(job, Vars(e, dir));
        Assert.Equal("RecordRejected,DataSyncPS.Cmdlets.WriteSyncTableCommand", Assert.Single(rejected.Errors).FullyQualifiedErrorId);
        Assert.Contains(rejected.Warnings, w => w.Contains("watermark") && w.Contains("customers"));
        Assert.Equal("mudou", ModuleServers.PostgreSqlScalar("SELECT description FROM mt_auvo_wm2.customers WHERE id = 3"));

        // Record 7 fixed at the source (same time stamp): the next run still asks for it.
        e.Change("customers", 7, r => r["creditLimit"] = 7.5m);
        var again = rs.Run(job, Vars(e, dir)).AssertNoErrors();
        Assert.Equal(3L, Records(again));
        Assert.Equal(7.5m, ModuleServers.PostgreSqlScalar("SELECT \"creditLimit\" FROM mt_auvo_wm2.customers WHERE id = 7"));
    }

    /// <summary>The seed's daily job, end to end: 50,000 Auvo customers into PostgreSQL, then an
    /// incremental rerun with changed and new records and a field that appears.</summary>
    [Fact]
    public async Task Auvo_customers_into_PostgreSQL_fifty_thousand_then_incremental_with_a_new_field()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP SCHEMA IF EXISTS mt_auvo CASCADE");
        await using var e = await AuvoEmulator.StartAsync();
        e.Seed("customers", 50_000);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        const string job = """
            $pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            Get-AuvoData -Entity customers -Incremental -StatePath $state -ApiUrl $api -Credential $cred -PageSize 1000 |
                Write-SyncTable -Source $pg -Table mt_auvo.customers -Key id -CreateTable -BatchSize 10000
            """;
        var first = rs.Run(job, Vars(e, dir)).AssertNoErrors();
        Assert.Equal(50_000L, first.Output.Sum(o => (long)((dynamic)o).Inserted));
        Assert.Equal(50_000L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_auvo.customers")));

        // A day later: 300 changed, 200 new, and the new ones carry a field never seen before.
        e.Now = e.Now.AddDays(1);
        foreach (var id in Enumerable.Range(1, 300).Select(i => (long)i * 97))
            e.Change("customers", id, r => { r["description"] = $"alterado {id}"; r["creditLimit"] = 1234.56m; });
        for (var i = 50_001; i <= 50_200; i++)
        {
            var record = AuvoEmulator.Sample("customers", i, e.Now);
            record["segment"] = new JsonObject { ["id"] = i % 3, ["name"] = "varejo" };
            e.Put("customers", record);
        }
        var second = rs.Run(job, Vars(e, dir)).AssertNoErrors();
        var results = second.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(200L, results.Sum(r => (long)r.Inserted));
        Assert.Equal(300L, results.Sum(r => (long)r.Updated));
        Assert.Equal(0L, results.Sum(r => (long)r.Rejected));
        Assert.Contains("segment", results.SelectMany(r => (IEnumerable<string>)r.ColumnsAdded));
        // Only what changed since the watermark was asked for: updatedSince is inclusive, so the last
        // record of the first run (at the watermark itself) comes again, unchanged.
        Assert.Equal(501L, results.Sum(r => (long)r.Records));
        Assert.Equal(1L, results.Sum(r => (long)r.Unchanged));

        Assert.Equal(50_200L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_auvo.customers")));
        Assert.Equal(300L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_auvo.customers WHERE description LIKE 'alterado %'")));
        Assert.Equal("alterado 970", ModuleServers.PostgreSqlScalar("SELECT description FROM mt_auvo.customers WHERE id = 970"));
        Assert.Equal(1234.56m, ModuleServers.PostgreSqlScalar("SELECT \"creditLimit\" FROM mt_auvo.customers WHERE id = 970"));
        Assert.Equal("Cliente São João nº 971", ModuleServers.PostgreSqlScalar("SELECT description FROM mt_auvo.customers WHERE id = 971"));
        Assert.Equal(200L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_auvo.customers WHERE segment->>'name' = 'varejo'")));
        Assert.Equal("jsonb", ModuleServers.PostgreSqlScalar("SELECT data_type FROM information_schema.columns WHERE table_schema = 'mt_auvo' AND column_name = 'segment'"));
        // Values exact: every record of the emulator is the row in the table.
        var mismatches = Convert.ToInt64(ModuleServers.PostgreSqlScalar("""
            SELECT count(*) FROM mt_auvo.customers
            WHERE id <= 50000 AND id % 97 <> 0 AND (description <> 'Cliente São João nº ' || id OR "creditLimit" <> ((id % 1000)::text || '.' || lpad((id % 100)::text, 2, '0'))::numeric
                  OR active <> (id % 7 <> 0) OR address->>'city' <> CASE WHEN id % 2 = 0 THEN 'Recife' ELSE 'Olinda' END)
            """));
        Assert.Equal(0L, mismatches);

        // Nothing new: the rerun asks only from the watermark and changes nothing.
        var third = rs.Run(job, Vars(e, dir)).AssertNoErrors();
        Assert.Equal(0L, third.Output.Sum(o => (long)((dynamic)o).Inserted + (long)((dynamic)o).Updated));
    }
}
