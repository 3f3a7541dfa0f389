using DataSyncPS.Emulators.ETrack;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Get-ETrackData against the e-Track emulator: latest positions, history cut into the API's
/// window, retries, the final error naming the exception type, and positions upserted into PostgreSQL.</summary>
public class GetETrackDataTests
{
    private static Dictionary<string, object?> Vars(ETrackEmulator e, string? key = null) => new()
    {
        ["api"] = e.ApiBaseUrl,
        ["cred"] = new System.Management.Automation.PSCredential(e.User, new System.Net.NetworkCredential("", key ?? e.ApiKey).SecurePassword),
        ["cs"] = TestEnvironment.PostgreSql,
    };

    [Fact]
    public async Task Latest_positions_are_typed_with_their_natural_key()
    {
        await using var e = await ETrackEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var r = rs.Run("Get-ETrackData -Credential $cred -ApiUrl $api", Vars(e)).AssertNoErrors();
        Assert.Equal(3, r.Output.Count);
        Assert.Equal("DataSyncPS.ETrack.Position", r.Output[0].TypeNames[0]);
        dynamic p = r.Output[0];
        Assert.Equal("ABC1D23", (string)p.placa);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 11, 55, 0, TimeSpan.FromHours(-3)), (DateTimeOffset)p.data_transmissao);
        Assert.IsType<decimal>((object)p.latitude);
        Assert.IsType<bool>((object)p.ignicao);
    }

    [Fact]
    public async Task History_over_three_days_is_asked_in_windows_of_a_day_and_comes_whole()
    {
        await using var e = await ETrackEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var r = rs.Run("Get-ETrackData -Credential $cred -ApiUrl $api -Vehicle XYZ9A87 -From '2025-03-10T00:00:00-03:00' -To '2025-03-13T00:00:00-03:00'", Vars(e)).AssertNoErrors();
        Assert.Equal(3 * 24 * 12, r.Output.Count);
        var times = r.Output.Select(o => (DateTimeOffset)((dynamic)o).data_transmissao).ToList();
        Assert.Equal(times.Count, times.Distinct().Count());
        Assert.Equal(times.Order(), times);
        Assert.Equal(3, e.Calls.Count(c => c.Call.Contains("/posicoes") && c.Status == 200));
        Assert.DoesNotContain(e.Calls, c => c.Status == 400);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_a_call_that_keeps_failing_names_the_exception_type()
    {
        await using var e = await ETrackEmulator.StartAsync();
        e.Next(ETrackFault.TooManyRequests);
        e.Next(ETrackFault.InternalError);
        e.Next(ETrackFault.Delay, millis: 5000); // longer than the read timeout
        using var rs = new ModuleRunspace();
        var ok = rs.Run("Get-ETrackData -Credential $cred -ApiUrl $api -ReadTimeoutSeconds 1 -Verbose", Vars(e)).AssertNoErrors();
        Assert.Equal(3, ok.Output.Count);
        Assert.Equal(3, ok.Verbose.Count(v => v.Contains("retrying")));

        // Every attempt for the first vehicle is dropped; the second vehicle is still read.
        e.Next(ETrackFault.Drop, 2);
        var r = rs.Run("Get-ETrackData -Credential $cred -ApiUrl $api -Vehicle ABC1D23, QWE4R56 -From '2025-03-10T00:00:00-03:00' -To '2025-03-10T01:00:00-03:00' -MaxAttempts 2", Vars(e));
        var error = Assert.Single(r.Errors);
        Assert.Equal("RemoteCallFailed,DataSyncPS.Cmdlets.GetETrackDataCommand", error.FullyQualifiedErrorId);
        Assert.Contains("after 2 attempt(s)", error.Exception.Message);
        Assert.Contains("exception: HttpRequestException", error.Exception.Message);
        Assert.Equal("ABC1D23", error.TargetObject);
        Assert.Equal(12, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal("QWE4R56", (string)((dynamic)o).placa));
    }

    [Fact]
    public async Task A_wrong_key_is_Unauthorized()
    {
        await using var e = await ETrackEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var r = rs.Run("Get-ETrackData -Credential $cred -ApiUrl $api", Vars(e, key: "wrong"));
        Assert.Equal("Unauthorized,DataSyncPS.Cmdlets.GetETrackDataCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.DoesNotContain("wrong", r.Errors[0].ToString());
    }

    [Fact]
    public async Task Positions_upsert_into_PostgreSQL_by_plate_and_time_and_a_rerun_changes_nothing()
    {
        ModuleServers.RequirePostgreSql();
        ModuleServers.PostgreSql("DROP SCHEMA IF EXISTS mt_etrack CASCADE");
        await using var e = await ETrackEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        const string job = """
            $pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            Get-ETrackData -Credential $cred -ApiUrl $api -From '2025-03-10T00:00:00-03:00' -To '2025-03-11T12:00:00-03:00' |
                Write-SyncTable -Source $pg -Table mt_etrack.posicoes -Key placa, data_transmissao -CreateTable
            """;
        var first = rs.Run(job, Vars(e)).AssertNoErrors();
        Assert.Equal(3L * 36 * 12, first.Output.Sum(o => (long)((dynamic)o).Inserted));
        var again = rs.Run(job, Vars(e)).AssertNoErrors();
        Assert.Equal(3L * 36 * 12, again.Output.Sum(o => (long)((dynamic)o).Unchanged));
        Assert.Equal(3L * 36 * 12, Convert.ToInt64(ModuleServers.PostgreSqlScalar("SELECT count(*) FROM mt_etrack.posicoes")));
        Assert.Equal("José da Silva", ModuleServers.PostgreSqlScalar("SELECT motorista->>'nome' FROM mt_etrack.posicoes WHERE motorista IS NOT NULL AND motorista <> 'null' LIMIT 1"));
    }
}
