using System.Net;
using System.Net.Sockets;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Errors an admin can act on: every error a cmdlet writes has one of the module's ErrorIds
/// (never a raw .NET type a script cannot catch by name), and one failed item of a pipeline does not
/// stop the others (DESIGN contract 6).</summary>
public class ErrorIdTests
{
    private static readonly HashSet<string> KnownIds = [.. ErrorKinds()];

    /// <summary>The module's ErrorIds: the members of SyncErrorKind (read from its source: the engine
    /// lives in the module's own load context, out of reach of these tests), and PowerShell's own for a stop.</summary>
    private static IEnumerable<string> ErrorKinds()
    {
        var source = File.ReadAllText(RepositoryFiles.PathOf("src/DataSyncPS.Engine/Model/SyncErrorKind.cs"));
        var body = source[(source.IndexOf('{', source.IndexOf("enum SyncErrorKind", StringComparison.Ordinal)) + 1)..source.LastIndexOf('}')];
        var names = System.Text.RegularExpressions.Regex.Matches(body, @"^\s*([A-Z]\w*),", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("StateStoreFailed", names);
        return [.. names, "OperationStopped"];
    }

    private static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public void Every_error_path_has_a_module_error_id()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("a-file"), "x");
        File.WriteAllBytes(dir.Combine("empty.db"), []);
        File.WriteAllText(dir.Combine("text.db"), "not sqlite");
        File.WriteAllText(dir.Combine("batch.jsonl.gz"), "not gzip");
        var vars = new Dictionary<string, object?>
        {
            ["dir"] = dir.Path,
            ["file"] = dir.Combine("a-file"),
            ["empty"] = dir.Combine("empty.db"),
            ["text"] = dir.Combine("text.db"),
            ["port"] = ClosedPort(),
            ["key"] = new NetworkCredential("", "k").SecurePassword,
        };
        string[] scripts =
        [
            "1 | Export-SyncBatch -Stream s -OutputDirectory $file -StatePath ([IO.Path]::Combine($dir, 's1.db'))",
            "1 | Export-SyncBatch -Stream s -OutputDirectory ([IO.Path]::Combine($file, 'sub')) -StatePath ([IO.Path]::Combine($dir, 's2.db'))",
            "1 | Export-SyncBatch -Stream s -OutputDirectory ([IO.Path]::Combine($dir, 'out')) -StatePath $empty",
            "1 | Export-SyncBatch -Stream s -OutputDirectory ([IO.Path]::Combine($dir, 'out')) -StatePath $text",
            "Connect-SyncSource -Provider Sqlite -Path ([IO.Path]::Combine($dir, 'demo.sqlite')) -SkipTest | Export-SyncBatch -Table 'a.b.c' -OutputDirectory ([IO.Path]::Combine($dir, 'out')) -StatePath ([IO.Path]::Combine($dir, 's3.db'))",
            "Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $port -Database x -SkipTest | Export-SyncBatch -Table t -OutputDirectory ([IO.Path]::Combine($dir, 'out')) -StatePath ([IO.Path]::Combine($dir, 's4.db'))",
            "Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $port -Database x",
            "Get-SyncState -StatePath $empty",
            "Get-SyncState -StatePath ([IO.Path]::Combine($dir, 'none.db'))",
            "Reset-SyncState -Stream s -StatePath $text -Confirm:$false",
            "Clear-SyncHistory -StatePath $empty -Confirm:$false",
            "Send-DataSnapBatch -Pending -Schema s -ApiUrl http://127.0.0.1:$port/v1 -ApiKey $key -StatePath $empty",
            "Send-DataSnapBatch -Path ([IO.Path]::Combine($dir, 'batch.jsonl.gz')), ([IO.Path]::Combine($dir, 'nope.jsonl.gz')) -Schema s -ApiUrl http://127.0.0.1:$port/v1 -ApiKey $key -StatePath ([IO.Path]::Combine($dir, 's5.db'))",
            "Get-SyncSecret -Name no-such-secret-anywhere",
        ];
        var seen = new List<string>();
        using var rs = new ModuleRunspace();
        foreach (var script in scripts)
        {
            var r = rs.Run(script, vars);
            Assert.True(r.Errors.Count > 0, $"No error from: {script}");
            foreach (var e in r.Errors)
            {
                var id = e.FullyQualifiedErrorId.Split(',')[0];
                seen.Add(id);
                Assert.True(KnownIds.Contains(id), $"'{script}' gave ErrorId '{e.FullyQualifiedErrorId}': {e}");
            }
        }
        Assert.Contains("OutputNotWritable", seen);
        Assert.Contains("StateStoreFailed", seen);
        Assert.Contains("BatchCorrupt", seen);
        Assert.Contains("PathNotFound", seen);
    }

    [Fact]
    public void One_failed_source_of_several_is_a_non_terminating_error_and_the_others_are_exported()
    {
        ModuleServers.RequirePostgreSql();
        var table = "me_" + Guid.NewGuid().ToString("N")[..10];
        ModuleServers.PostgreSql($"CREATE TABLE {table} (id int PRIMARY KEY); INSERT INTO {table} SELECT generate_series(1, 5);");
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"""
            $down = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $port -Database erp -SkipTest
            $up = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs
            $down, $up | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state
            "after"
            """, new() { ["port"] = ClosedPort(), ["cs"] = TestEnvironment.PostgreSql, ["out"] = dir.Combine("out"), ["state"] = dir.Combine("state.db") });
        Assert.Null(r.Terminating);
        Assert.Equal("HostUnreachable,DataSyncPS.Cmdlets.ExportSyncBatchCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal(5L, (long)((dynamic)r.Output[0]).Rows);
        Assert.Equal("after", r.Output[^1].ToString());
    }

    [Fact]
    public void One_failed_source_stops_a_script_that_asks_for_it()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("""
            $ErrorActionPreference = 'Stop'
            Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $port -Database erp -SkipTest | Export-SyncBatch -Table t -OutputDirectory $out
            "not reached"
            """, new() { ["port"] = ClosedPort(), ["out"] = dir.Combine("out") });
        Assert.NotNull(r.Terminating);
        Assert.Empty(r.Output);
    }
}
