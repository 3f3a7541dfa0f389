using System.IO.Compression;
using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>The example scripts run as a user would run them, in a hosted runspace with the engine's
/// core cmdlets only (what a script can count on anywhere), against the embedded SQLite demo (vendas: 2,000 rows; filiais: 5).</summary>
public class ExampleScriptTests
{
    private static readonly string Quickstart = RepositoryFiles.PathOf("examples/quickstart.ps1");
    private static readonly string SyncAll = RepositoryFiles.PathOf("examples/sync-all-tables.ps1");
    private static readonly string Demo = RepositoryFiles.PathOf("examples/data/demo.sqlite");

    private static Dictionary<string, object?> Vars(TempDirectory dir, string script) => new()
    {
        ["script"] = script,
        ["out"] = dir.Combine("out"),
        ["state"] = dir.Combine("state.db"),
    };

    [Fact]
    public void Quickstart_exports_the_demo_then_finds_nothing_new()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("& $script -OutputDirectory $out -StatePath $state", Vars(dir, Quickstart)).AssertNoErrors();

        Assert.Equal(2000, Directory.GetFiles(dir.Combine("out"), "vendas-*.jsonl.gz").Sum(f => ReadLines(f).Count));
        Assert.StartsWith("0 new batch(es)", r.Output[^1].ToString());
    }

    [Fact]
    public void Quickstart_headings_say_what_each_run_did_on_a_first_run_and_on_a_rerun()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var first = Texts(rs.Run("& $script -OutputDirectory $out -StatePath $state", Vars(dir, Quickstart)).AssertNoErrors());
        Assert.Contains("First run: every row of vendas (2,000 rows in 4 batch(es))", first);
        // The first row shown is DESIGN contract 3, from the types the demo's columns declare.
        Assert.Contains("""{"id":60,"filial_id":1,"cliente_nome":"Cliente São João nº 60","produto":"Produto 60","quantidade":7,"valor_total":751.40,"pago":true,"vendido_em":"2024-01-05T12:00:00-03:00","data_fiscal":"2024-01-05","extra":{"canal": "loja", "cupom": false},"updated_at":"2024-02-01T00:00:00+00:00"}""", first);

        // The same state again: the stream's watermark is there, so no export is a first one now.
        var rerun = Texts(rs.Run("& $script -OutputDirectory $out -StatePath $state", Vars(dir, Quickstart)).AssertNoErrors());
        Assert.DoesNotContain(rerun, t => t.StartsWith("First run", StringComparison.Ordinal));
        Assert.Contains(rerun, t => t.StartsWith("Nothing new in vendas since the last run", StringComparison.Ordinal));
        Assert.StartsWith("0 new batch(es)", rerun[^1]);
    }

    [Fact]
    public void Quickstart_calls_its_first_run_a_first_run_even_when_the_folder_holds_batches_of_another_state()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("out"));
        // What a clone elsewhere (another demo path, so another source) left in the default folder.
        File.WriteAllBytes(dir.Combine("out", "vendas-000001.jsonl.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        using var rs = new ModuleRunspace();
        var r = rs.Run("& $script -OutputDirectory $out -StatePath $state", Vars(dir, Quickstart)).AssertNoErrors();

        Assert.Contains("First run: every row of vendas (2,000 rows in 4 batch(es))", Texts(r));
        Assert.Contains(r.Warnings, w => w.Contains("vendas-000001.jsonl.gz") && w.Contains("left untouched"));
        Assert.Equal(20, new FileInfo(dir.Combine("out", "vendas-000001.jsonl.gz")).Length);
    }

    [Fact]
    public void Sync_all_tables_exports_every_configured_table_into_a_folder_per_source_then_nothing_new()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var first = rs.Run("& $script -OutputDirectory $out -StatePath $state", Vars(dir, SyncAll)).AssertNoErrors();

        var rows = first.Output.GroupBy(b => Prop<string>(b, "Stream")).ToDictionary(g => g.Key, g => g.Sum(b => Prop<long>(b, "Rows")));
        Assert.Equal(new Dictionary<string, long> { ["vendas"] = 2000, ["filiais"] = 5 }, rows);
        Assert.All(first.Output, b => Assert.Equal(dir.Combine("out", "demo"), Path.GetDirectoryName(Prop<string>(b, "Path"))));
        Assert.Equal(0, ExitCode(rs));

        var second = rs.Run("& $script -OutputDirectory $out -StatePath $state", Vars(dir, SyncAll)).AssertNoErrors();
        Assert.Empty(second.Output);
        Assert.Equal(0, ExitCode(rs));
    }

    [Fact]
    public void Sync_all_tables_goes_on_after_failures_reports_them_and_exits_1()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("tables.psd1");
        File.WriteAllText(config, $$"""
            @{
                Sources = @(
                    @{ Name = 'demo'; Provider = 'Sqlite'; Path = '{{Demo.Replace("'", "''")}}'
                       Tables = @( @{ Table = 'no_such_table'; CursorColumn = 'id' }, @{ Table = 'filiais'; CursorColumn = 'id' } ) }
                    @{ Name = 'gone'; Provider = 'Sqlite'; Path = 'missing.sqlite'; Tables = @( @{ Table = 'vendas' } ) }
                )
            }
            """);
        using var rs = new ModuleRunspace();
        var r = rs.Run("& $script -ConfigPath $config -OutputDirectory $out -StatePath $state",
            new(Vars(dir, SyncAll)) { ["config"] = config });

        var batch = Assert.Single(r.Output);
        Assert.Equal("filiais", Prop<string>(batch, "Stream"));
        // Written again by the script, the errors keep their ErrorId (the script's name replaces the cmdlet's).
        Assert.Equal(["PathNotFound", "TableNotFound"], r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).Order());
        var summary = Assert.Single(r.Warnings);
        Assert.Contains("2 of 3 table(s) failed", summary);
        Assert.Contains("demo/no_such_table: TableNotFound", summary);
        Assert.Contains("gone/vendas: PathNotFound", summary);
        Assert.False(File.Exists(dir.Combine("missing.sqlite")));
        Assert.Equal(1, ExitCode(rs));
    }

    [Fact]
    public void Sync_all_tables_under_WhatIf_writes_nothing()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("& $script -OutputDirectory $out -StatePath $state -WhatIf", Vars(dir, SyncAll)).AssertNoErrors();

        Assert.Empty(r.Output);
        Assert.False(Directory.Exists(dir.Combine("out")));
        Assert.False(File.Exists(dir.Combine("state.db")));
    }

    [Fact]
    public void Sync_all_tables_refuses_a_config_with_an_unknown_key_before_doing_anything()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("tables.psd1");
        File.WriteAllText(config, "@{ Sources = @( @{ Name = 'demo'; Provider = 'Sqlite'; Path = 'x.sqlite'; Tables = @( @{ Table = 'vendas'; Cursor = 'updated_at' } ) } ) }");
        using var rs = new ModuleRunspace();
        var r = rs.Run("& $script -ConfigPath $config -OutputDirectory $out -StatePath $state", new(Vars(dir, SyncAll)) { ["config"] = config });

        Assert.NotNull(r.Terminating);
        Assert.Contains("unknown key 'Cursor'", Assert.Single(r.Errors).ToString());
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    private static List<string> Texts(RunResult r) => r.Output.Select(o => o.BaseObject).OfType<string>().ToList();

    private static int ExitCode(ModuleRunspace rs) => (int)rs.Run("$LASTEXITCODE").Output.Single().BaseObject;

    private static T Prop<T>(PSObject o, string name) => (T)LanguagePrimitives.ConvertTo(o.Properties[name].Value, typeof(T));

    private static List<string> ReadLines(string gzPath)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gzPath), CompressionMode.Decompress));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }
}
