using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// Another module has already loaded a different Npgsql into PowerShell's default load context (as
/// dbatools or SqlServer do with their dependencies): DataSyncPS must still import and work, with its
/// own Npgsql in its own context.
/// </summary>
public class AssemblyLoadContextTests
{
    [Fact]
    public void Module_works_beside_another_version_of_its_dependency_in_the_default_context()
    {
        ModuleServers.RequirePostgreSql();
        // This test project references Npgsql 8; using it loads that version into the default context.
        using (var c = new Npgsql.NpgsqlConnection(TestEnvironment.PostgreSql)) c.Open();
        var foreign = typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version!;
        Assert.Equal(8, foreign.Major);

        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("""
            Connect-SyncSource -Provider PostgreSql -ConnectionString $cs |
                Export-SyncBatch -Query 'SELECT 1 AS one' -Stream alc -OutputDirectory $out -StatePath $state
            """, new() { ["cs"] = TestEnvironment.PostgreSql, ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db") }).AssertNoErrors();
        Assert.Equal(1L, (long)r.Single().Rows);

        var versions = rs.Run("""
            [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.Name -eq 'DataSyncPS.Engine' } |
                ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'Npgsql' } |
                ForEach-Object { $_.GetName().Version.Major }
            """).AssertNoErrors();
        Assert.Equal(10, (int)versions.Single<int>());
        Assert.Equal(8, typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version!.Major);
    }

    [Fact]
    public void Module_can_be_removed_and_imported_again_in_one_session()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("""
            Remove-Module DataSyncPS
            Import-Module $manifest
            @{ id = 1 } | Export-SyncBatch -Stream again -OutputDirectory $out -StatePath $state
            """, new() { ["manifest"] = ModuleRunspace.ModuleManifest, ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db") }).AssertNoErrors();
        Assert.Equal(1L, (long)r.Single().Rows);
    }
}
