using System.Management.Automation;
using DataSyncPS.Emulators.Plusoft;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Sync-Plusoft as an admin types it, with the module's default mapping, from PostgreSQL and
/// MariaDB tables shaped like the Consinco views to the Plusoft emulator: typed results, rejected
/// batches as non-terminating errors and -Pending, mapping errors before anything is sent, -Preview,
/// -WhatIf, saved tokens, the route logs.</summary>
[Collection(nameof(SecretHomeCollection))]
public class SyncPlusoftTests
{
    private static Dictionary<string, object?> Vars(PlusoftSource source, PlusoftEmulator e) => new()
    {
        ["cs"] = source.ConnectionString,
        ["provider"] = source.Provider,
        ["api"] = e.ApiBaseUrl,
        ["token"] = new System.Net.NetworkCredential("", e.Options.Token).SecurePassword,
        ["mapping"] = source.MappingPath,
        ["state"] = source.Combine("state.db"),
        ["logs"] = source.Combine("Logs"),
    };

    private const string Sync = """
        $src = Connect-SyncSource -Provider $provider -ConnectionString $cs
        $src | Sync-Plusoft -ApiUrl $api -ApiKey $token -MappingPath $mapping -StatePath $state -BatchSize 40
        """;

    /// <summary>The output objects of one of the module's types (the engine is out of the tests' reach), dynamically.</summary>
    private static List<dynamic> Of(RunResult r, string type) => r.Output.Where(o => o.TypeNames[0] == "DataSyncPS." + type).Select(o => (dynamic)o).ToList();

    private static List<string> Statuses(RunResult r) => Of(r, "PlusoftBatchResult").Select(b => ((object)b.Status).ToString()!).ToList();

    private static void AssertEachOnce(PlusoftEmulator e, string entity, int count)
    {
        var received = e.Received(entity);
        Assert.Equal(count, received.Count);
        Assert.All(received, r => Assert.True(r.Value == 1, $"{entity} {r.Key} received {r.Value} times"));
    }

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("MariaDb")]
    public async Task The_default_mapping_sends_every_entity_in_order_with_results_and_summaries_then_nothing_new(string provider)
    {
        using var source = new PlusoftSource(provider, filiais: 4, produtos: 50, clientes: 30, vendas: 130);
        await using var e = await PlusoftEmulator.StartAsync(new PlusoftEmulatorOptions { CheckReferences = true });
        using var rs = new ModuleRunspace();
        var r = rs.Run(Sync + " -LogDirectory $logs -Verbose", Vars(source, e)).AssertNoErrors();

        var summaries = Of(r, "PlusoftSyncSummary");
        Assert.Equal(["Filiais", "Produtos", "Clientes", "Vendas"], summaries.Select(s => (string)s.Entity));
        Assert.Equal([1L, 2L, 1L, 4L], summaries.Select(s => (long)s.Batches));
        Assert.Equal(Enumerable.Repeat("Delivered", 8), Statuses(r));
        // Each entity's batches come before its summary, as they are answered.
        Assert.Equal(["PlusoftBatchResult", "PlusoftSyncSummary", "PlusoftBatchResult"], r.Output.Take(3).Select(o => o.TypeNames[0]["DataSyncPS.".Length..]));
        AssertEachOnce(e, "filiais", 4);
        AssertEachOnce(e, "produtos", 50);
        AssertEachOnce(e, "clientes", 30);
        AssertEachOnce(e, "vendas", 130);

        // The default mapping's formatting.
        var filial = e.Records("filiais")["4"];
        Assert.Equal(("LOJA 4", "12345678000104", true, "CONSINCO"),
            (filial.GetProperty("NOMEFILIAL").GetString(), filial.GetProperty("CNPJ").GetString(), filial.GetProperty("ATIVO").GetBoolean(), filial.GetProperty("ORIGEM").GetString()));
        Assert.Equal("ACUCAR 7", e.Records("produtos")["7"].GetProperty("TXTDESCRICAORESUMIDA").GetString());
        Assert.Equal("7.99", e.Records("produtos")["7"].GetProperty("PRECO").GetRawText());
        Assert.False(e.Records("clientes")["3"].TryGetProperty("NOMEFANTASIA", out _));
        Assert.Equal("00000000007", e.Records("clientes")["7"].GetProperty("CPFCNPJ").GetString()![^11..]);
        Assert.Equal("0.00", e.Records("vendas")["1|1|1"].GetProperty("VALORDESCONTO").GetRawText());

        Assert.Contains(r.Verbose, v => v.StartsWith("Mapping: " + source.MappingPath, StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("Vendas: 130 row(s) in 4 batch(es), 4 delivered, 0 rejected", StringComparison.Ordinal));
        Assert.Equal(4, Directory.GetFiles(source.Combine("Logs"), "*_Rota_*.log", SearchOption.AllDirectories).Length);
        Assert.DoesNotContain(r.Verbose, v => v.Contains(e.Options.Token));
        Assert.Contains(r.Progress, p => p.Activity == "Sync-Plusoft Vendas");

        var again = rs.Run(Sync, Vars(source, e)).AssertNoErrors();
        Assert.Empty(Of(again, "PlusoftBatchResult"));
        Assert.All(Of(again, "PlusoftSyncSummary"), s => Assert.Equal(0L, (long)s.Rows));
        Assert.Equal(e.Calls.Count, e.Calls.Count(c => c.Status == 200));
    }

    [Fact]
    public async Task A_rejected_batch_is_a_non_terminating_BatchRejected_error_the_others_go_on_and_Pending_sends_it_once_fixed()
    {
        using var source = new PlusoftSource("PostgreSql", filiais: 1, produtos: 1, clientes: 100, vendas: 1);
        source.Execute($"UPDATE {source.Table("VW_PLUSOFT_CLIENTE")} SET {source.Column("UF")} = 'P' WHERE {source.Column("SEQPESSOA")} = 50");
        await using var e = await PlusoftEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var r = rs.Run(Sync.Replace("Sync-Plusoft", "Sync-Plusoft Clientes"), Vars(source, e));

        var error = Assert.Single(r.Errors);
        Assert.Equal("BatchRejected,DataSyncPS.Cmdlets.SyncPlusoftCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("Plusoft rejected Clientes batch #2 (40 record(s), keys (2024-07-01 00:00:41, 41) to (2024-07-01 00:01:20, 80))", error.ToString());
        Assert.Contains("UF: deve ser a sigla do estado", error.ToString());
        Assert.Equal(["Delivered", "Rejected", "Delivered"], Statuses(r));
        Assert.Equal(1L, (long)Of(r, "PlusoftSyncSummary").Single().Pending);
        Assert.Equal(60, e.Count("clientes"));

        source.Execute($"UPDATE {source.Table("VW_PLUSOFT_CLIENTE")} SET {source.Column("UF")} = 'PE' WHERE {source.Column("SEQPESSOA")} = 50");
        var pending = rs.Run("""
            $src = Connect-SyncSource -Provider $provider -ConnectionString $cs
            $src | Sync-Plusoft Clientes -Pending -ApiUrl $api -ApiKey $token -MappingPath $mapping -StatePath $state
            Get-SyncState plusoft-clientes -StatePath $state
            """, Vars(source, e)).AssertNoErrors();
        var retried = Of(pending, "PlusoftBatchResult").Single();
        Assert.Equal((2L, "Delivered", true), ((long)retried.Sequence, ((object)retried.Status).ToString(), (bool)retried.Retried));
        Assert.Equal(0L, (long)((dynamic)pending.Output[^1]).PendingBatches);
        AssertEachOnce(e, "clientes", 100);
    }

    [Fact]
    public async Task Mapping_mistakes_stop_the_cmdlet_before_anything_is_sent()
    {
        using var source = new PlusoftSource("PostgreSql", filiais: 2, produtos: 2, clientes: 2, vendas: 2);
        await using var e = await PlusoftEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var text = File.ReadAllText(source.MappingPath);

        File.WriteAllText(source.MappingPath, text.Replace("Column = 'DESCCOMPLETA'", "Column = 'DESCRICAO'"));
        var column = rs.Run(Sync, Vars(source, e));
        Assert.Equal("ColumnNotFound,DataSyncPS.Cmdlets.SyncPlusoftCommand", Assert.Single(column.Errors).FullyQualifiedErrorId);
        Assert.Contains("DESCRICAO (field TXTDESCRICAO) is not a column of", column.Errors[0].ToString());

        File.WriteAllText(source.MappingPath, text.Replace("@{ Field = 'NOME';           Column = 'NOMERAZAO' }", ""));
        var required = rs.Run(Sync, Vars(source, e));
        Assert.Equal("MappingInvalid,DataSyncPS.Cmdlets.SyncPlusoftCommand", Assert.Single(required.Errors).FullyQualifiedErrorId);
        Assert.Contains("Clientes leaves the field(s) NOME unmapped, and Plusoft requires them", required.Errors[0].ToString());

        File.WriteAllText(source.MappingPath, text.Replace("Null           = 'Null'", "Null = $env:PATH"));
        var code = rs.Run(Sync, Vars(source, e));
        Assert.Equal("MappingInvalid,DataSyncPS.Cmdlets.SyncPlusoftCommand", Assert.Single(code.Errors).FullyQualifiedErrorId);

        var missing = rs.Run(Sync.Replace("$mapping", "'./no-such-mapping.psd1'"), Vars(source, e));
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.SyncPlusoftCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.Empty(e.Calls);
        Assert.False(File.Exists(source.Combine("state.db")));
    }

    [Fact]
    public async Task Preview_returns_the_mapped_records_and_WhatIf_sends_nothing()
    {
        using var source = new PlusoftSource("MariaDb", filiais: 3, produtos: 5, clientes: 5, vendas: 20);
        await using var e = await PlusoftEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var preview = rs.Run("""
            $src = Connect-SyncSource -Provider $provider -ConnectionString $cs
            $src | Sync-Plusoft Vendas -Preview -Skip 10 -First 4 -MappingPath $mapping
            """, Vars(source, e)).AssertNoErrors();
        Assert.Equal(4, preview.Output.Count);
        Assert.Equal("DataSyncPS.Plusoft.Vendas", preview.Output[0].TypeNames[0]);
        dynamic first = preview.Output[0];
        // Row 11 in keyset order (day, store, document, item): store 1 has 8 items, so the 3rd item of store 2's first document.
        Assert.Equal((2L, 2L, 3L, "2024-07-01"), ((long)first.CODFILIAL, (long)first.NUMERODOCUMENTO, (long)first.ITEM, (string)first.DATAVENDA));
        Assert.Equal(["CODFILIAL", "NUMERODOCUMENTO", "SERIE", "ITEM", "DATAVENDA", "CODPRODUTO", "CODCLIENTE", "QUANTIDADE", "VALORUNITARIO", "VALORTOTAL", "VALORDESCONTO", "ORIGEM"],
            preview.Output[0].Properties.Select(p => p.Name));

        var whatIf = rs.Run(Sync + " -WhatIf", Vars(source, e)).AssertNoErrors();
        Assert.Empty(whatIf.Output);
        Assert.Empty(e.Calls);
        Assert.False(File.Exists(source.Combine("state.db")));
    }

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("MariaDb")]
    public async Task LookbackDays_sends_a_sale_posted_late_for_a_synced_date_and_counts_the_window(string provider)
    {
        // Ten sales of 1 July; the watermark ends at (2024-07-01, 4, 4, 1).
        using var source = new PlusoftSource(provider, filiais: 7, produtos: 3, clientes: 3, vendas: 10);
        await using var e = await PlusoftEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var vendas = Sync.Replace("Sync-Plusoft", "Sync-Plusoft Vendas");
        rs.Run(vendas, Vars(source, e)).AssertNoErrors();
        string Late(int item) => $"INSERT INTO {source.Table("VW_PLUSOFT_VENDA")} ({source.Column("NROEMPRESA")}, {source.Column("NUMERODF")}, {source.Column("SERIEDF")}, " +
                                 $"{source.Column("SEQITEM")}, {source.Column("DTAVDA")}, {source.Column("SEQPRODUTO")}, {source.Column("QTDITEM")}, {source.Column("VLRTOTAL")}) " +
                                 $"VALUES (1, 1, '1', {item}, '2024-07-01', 1, 1, 9.90)";
        source.Execute(Late(9)); // posted late: 1 July, a key before the watermark's

        // The default mapping has no look-back: the late sale is not read.
        Assert.Equal(0L, (long)Of(rs.Run(vendas, Vars(source, e)).AssertNoErrors(), "PlusoftSyncSummary").Single().Rows);
        var caught = rs.Run(vendas + " -LookbackDays 1", Vars(source, e)).AssertNoErrors();
        var summary = Of(caught, "PlusoftSyncSummary").Single();
        Assert.Equal((11L, 11L), ((long)summary.Rows, (long)summary.LookbackRows));
        Assert.Equal(11L, Of(caught, "PlusoftBatchResult").Sum(b => (long)b.LookbackRows));
        Assert.Equal(1, e.Received("vendas")["1|1|9"]);
        Assert.Equal(2, e.Received("vendas")["1|1|1"]);

        // LookbackDays in the mapping does the same each run; -LookbackDays 0 turns it off for one run.
        File.WriteAllText(source.MappingPath, File.ReadAllText(source.MappingPath).Replace("LookbackDays = 0", "LookbackDays = 1", StringComparison.Ordinal));
        source.Execute(Late(10));
        Assert.Equal(0L, (long)Of(rs.Run(vendas + " -LookbackDays 0", Vars(source, e)).AssertNoErrors(), "PlusoftSyncSummary").Single().Rows);
        Assert.Equal(12L, (long)Of(rs.Run(vendas, Vars(source, e)).AssertNoErrors(), "PlusoftSyncSummary").Single().LookbackRows);
        Assert.Equal(1, e.Received("vendas")["1|1|10"]);

        var negative = rs.Run(vendas + " -LookbackDays -1", Vars(source, e));
        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(negative.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task A_saved_token_works_by_name_a_refused_one_is_Unauthorized_and_Entity_completes()
    {
        using var homes = new SecretHomes();
        using var source = new PlusoftSource("PostgreSql", filiais: 2, produtos: 1, clientes: 1, vendas: 1);
        await using var e = await PlusoftEmulator.StartAsync();
        using var rs = new ModuleRunspace();
        var vars = Vars(source, e);
        rs.Run("Save-SyncSecret -Name plusoft -ApiKey $token -SkipValidation", vars).AssertNoErrors();
        var saved = rs.Run(Sync.Replace("-ApiKey $token", "-ApiKey plusoft").Replace("Sync-Plusoft", "Sync-Plusoft Filiais"), vars).AssertNoErrors();
        Assert.Equal(2L, (long)Of(saved, "PlusoftSyncSummary").Single().Rows);

        vars["token"] = new System.Net.NetworkCredential("", "revoked-4711").SecurePassword;
        var refused = rs.Run(Sync, vars);
        Assert.Equal("Unauthorized,DataSyncPS.Cmdlets.SyncPlusoftCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.DoesNotContain("revoked-4711", refused.Errors[0].ToString());

        var completion = rs.Run("(TabExpansion2 -inputScript 'Sync-Plusoft -Entity V' -cursorColumn 22).CompletionMatches.CompletionText").AssertNoErrors();
        Assert.Equal(["Vendas"], completion.Output.Select(o => o.ToString()));
    }
}
