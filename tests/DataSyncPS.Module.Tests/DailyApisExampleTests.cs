using DataSyncPS.Emulators.Auvo;
using DataSyncPS.Emulators.ETrack;
using DataSyncPS.Module.Tests.Infrastructure;
using Npgsql;

namespace DataSyncPS.Module.Tests;

/// <summary>examples/daily-apis.ps1 as a scheduler runs it, against the Auvo and e-Track emulators and
/// real PostgreSQL: both parts, then each skipped (its Plusoft part is checked by tests/pester/Examples.Tests.ps1).</summary>
public class DailyApisExampleTests
{
    private static readonly string Script = RepositoryFiles.PathOf("examples/daily-apis.ps1");

    [Fact]
    public async Task The_daily_job_collects_Auvo_and_ETrack_into_PostgreSQL_and_skips_either_on_request()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP SCHEMA IF EXISTS auvo CASCADE; DROP SCHEMA IF EXISTS e_track CASCADE");
        await using var auvo = await AuvoEmulator.StartAsync();
        auvo.Seed("customers", 120);
        auvo.Seed("tasks", 30);
        await using var etrack = await ETrackEmulator.StartAsync();
        using var dir = new TempDirectory();
        var pg = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgreSql);
        var vars = new Dictionary<string, object?>
        {
            ["script"] = Script,
            ["server"] = pg.Host,
            ["database"] = pg.Database,
            ["db"] = new System.Management.Automation.PSCredential(pg.Username!, new System.Net.NetworkCredential("", pg.Password).SecurePassword),
            ["auvoCred"] = new System.Management.Automation.PSCredential(auvo.Options.ApiKey, new System.Net.NetworkCredential("", auvo.Options.ApiToken).SecurePassword),
            ["etrackCred"] = new System.Management.Automation.PSCredential(etrack.User, new System.Net.NetworkCredential("", etrack.ApiKey).SecurePassword),
            ["auvoApi"] = auvo.ApiBaseUrl,
            ["etrackApi"] = etrack.ApiBaseUrl,
            ["state"] = dir.Combine("state.db"),
        };
        const string run = "& $script -Server $server -Database $database -Credential $db -AuvoCredential $auvoCred -ETrackCredential $etrackCred " +
                           "-AuvoApiUrl $auvoApi -ETrackApiUrl $etrackApi -StatePath $state -AuvoEntity customers, tasks -SkipPlusoft";
        using var rs = new ModuleRunspace();
        rs.Run(run, vars).AssertNoErrors();
        Assert.Equal(120L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM auvo.customers")));
        Assert.Equal(30L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM auvo.tasks")));
        Assert.Equal(3L * 288, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM e_track.posicoes")));

        auvo.Now = auvo.Now.AddDays(1);
        auvo.Seed("customers", 5, first: 121);
        ModuleServers.PostgreSql("TRUNCATE e_track.posicoes");
        rs.Run(run + " -SkipETrack", vars).AssertNoErrors();
        Assert.Equal(125L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM auvo.customers")));
        Assert.Equal(0L, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM e_track.posicoes")));

        var calls = auvo.ListCalls;
        rs.Run(run + " -SkipAuvo", vars).AssertNoErrors();
        Assert.Equal(calls, auvo.ListCalls);
        Assert.Equal(3L * 288, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM e_track.posicoes")));
    }
}
