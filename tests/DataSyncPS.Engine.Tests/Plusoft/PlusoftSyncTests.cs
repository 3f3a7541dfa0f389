using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Emulators.Plusoft;
using DataSyncPS.Engine.Plusoft;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;
using DataSyncPS.Engine.Tests.Incremental;
using DataSyncPS.Engine.Tests.Logging;

namespace DataSyncPS.Engine.Tests.Plusoft;

/// <summary>
/// Sync-Plusoft's engine from real Consinco-shaped tables to the Plusoft emulator: every entity in
/// batches and in the safe order, values as the mapping formats them, incremental reruns, rejected
/// batches kept for -Pending, whole-view entities resumed by key, faults and stops that never lose or
/// repeat a record (DESIGN contract 2).
/// </summary>
public abstract class PlusoftSyncTests(TestDatabase db) : PlusoftTest(db)
{
    protected override PlusoftEmulatorOptions EmulatorOptions => new() { CheckReferences = true };

    [Fact]
    public async Task Every_entity_goes_in_batches_in_the_safe_order_and_a_rerun_sends_only_what_changed()
    {
        await CreateSampleAsync(filiais: 7, produtos: 60, clientes: 45, vendas: 305);
        // Vendas asked for first: the sync still sends stores, products and customers before the sales that name them.
        var first = await SyncAsync(["Vendas", "Clientes", "Produtos", "Filiais"], batchSize: 50);

        Assert.Equal(["Filiais", "Produtos", "Clientes", "Vendas"], first.Summaries.Select(s => s.Entity));
        Assert.Empty(first.Observer.Errors);
        AssertEachOnce("filiais", 7);
        AssertEachOnce("produtos", 60);
        AssertEachOnce("clientes", 45);
        AssertEachOnce("vendas", 305);
        Assert.Equal([50, 50, 50, 50, 50, 50, 5], first.Batches.Where(b => b.Entity == "Vendas").Select(b => (int)b.Rows));
        Assert.All(first.Batches, b => Assert.Equal(PlusoftBatchStatus.Delivered, b.Status));
        Assert.Equal(305, first.Of("Vendas").Rows);
        Assert.Equal("incremental by DTAVDA", first.Of("Vendas").Mode);
        // A date column: Npgsql reads a DateOnly, MySqlConnector a DateTime.
        Assert.Equal(Db.Kind == ProviderKind.PostgreSql ? "(2024-07-02, 4, 102, 2)" : "(2024-07-02 00:00:00, 4, 102, 2)", first.Of("Vendas").Watermark);

        // Values as the mapping makes them.
        var filial = Emulator.Records("filiais")["5"];
        Assert.Equal("LOJA 5", filial.GetProperty("NOMEFILIAL").GetString()); // CHAR(40) trimmed
        Assert.Equal("12345678000105", filial.GetProperty("CNPJ").GetString());
        Assert.False(filial.GetProperty("ATIVO").GetBoolean());
        Assert.Equal("2024-07-01T00:00:05", filial.GetProperty("DATAALTERACAO").GetString());
        Assert.Equal("CONSINCO", filial.GetProperty("ORIGEM").GetString());
        var produto = Emulator.Records("produtos")["10"];
        Assert.False(produto.TryGetProperty("CODEAN", out _)); // ' ' is empty, empty is NULL, NULL is left out
        Assert.Equal("10.99", produto.GetProperty("PRECO").GetRawText());
        Assert.Equal("Açúcar cristal 1kg nº 10", produto.GetProperty("TXTDESCRICAO").GetString());
        Assert.Equal("7890000000011", Emulator.Records("produtos")["11"].GetProperty("CODEAN").GetString());
        Assert.Equal("(sem fantasia)", Emulator.Records("clientes")["3"].GetProperty("NOMEFANTASIA").GetString());
        Assert.Equal("1980-01-04", Emulator.Records("clientes")["3"].GetProperty("DATANASCIMENTO").GetString());
        var venda = Emulator.Records("vendas")["2|2|3"]; // item 6: document 2, item 3, store 2
        Assert.Equal("2024-07-01", venda.GetProperty("DATAVENDA").GetString());
        Assert.Equal("1.00", venda.GetProperty("VALORDESCONTO").GetRawText());
        Assert.Equal("2.000", venda.GetProperty("QUANTIDADE").GetRawText()); // numeric(12,3), as stored
        Assert.Equal("13.00", venda.GetProperty("VALORTOTAL").GetRawText());
        Assert.Equal("0.00", Emulator.Records("vendas")["1|1|1"].GetProperty("VALORDESCONTO").GetRawText()); // NULL: Default 0, two places
        Assert.Equal(JsonValueKind.Null, Emulator.Records("vendas")["2|2|1"].GetProperty("CODCLIENTE").ValueKind); // item 4: no customer

        // Nothing changed: nothing is sent.
        var calls = Emulator.Calls.Count;
        var again = await SyncAsync(batchSize: 50);
        Assert.Empty(again.Batches);
        Assert.Equal(calls, Emulator.Calls.Count);

        // Three products changed and two sales added: exactly those go.
        await UpdateAsync("VW_PLUSOFT_PRODUTO", $"{Q("DESCCOMPLETA")} = 'alterado', {Q("DTAHORALTERACAO")} = @p0", $"{Q("SEQPRODUTO")} IN (3, 30, 59)", new DateTime(2024, 7, 20, 8, 0, 0));
        await Db.ExecuteAsync($"INSERT INTO {Db.Quote(Prefix + "VW_PLUSOFT_VENDA")} ({Q("NROEMPRESA")}, {Q("NUMERODF")}, {Q("SERIEDF")}, {Q("SEQITEM")}, {Q("DTAVDA")}, " +
                              $"{Q("SEQPRODUTO")}, {Q("QTDITEM")}, {Q("VLRTOTAL")}) VALUES (1, 9000, '1', 1, @p0, 1, 1, 9.90), (1, 9000, '1', 2, @p0, 2, 1, 9.90)",
            new DateTime(2024, 7, 20));
        var third = await SyncAsync(batchSize: 50);
        Assert.Equal(3, third.Of("Produtos").Rows);
        Assert.Equal(2, third.Of("Vendas").Rows);
        Assert.Equal(0, third.Of("Clientes").Rows);
        Assert.Equal("alterado", Emulator.Records("produtos")["30"].GetProperty("TXTDESCRICAO").GetString());
        Assert.Equal([3, 30, 59], Emulator.Received("produtos").Where(r => r.Value == 2).Select(r => int.Parse(r.Key)).Order());
        AssertEachOnce("vendas", 307);
    }

    [Fact]
    public async Task A_batch_the_API_refuses_is_an_error_naming_its_key_range_the_others_go_on_and_Pending_sends_it_once_fixed()
    {
        await CreateSampleAsync(filiais: 1, produtos: 1, clientes: 45, vendas: 1);
        await UpdateAsync("VW_PLUSOFT_CLIENTE", $"{Q("NROCGCCPF")} = '123'", $"{Q("SEQPESSOA")} = 20");
        var run = await SyncAsync(["Clientes"], batchSize: 10);

        Assert.Equal([PlusoftBatchStatus.Delivered, PlusoftBatchStatus.Rejected, PlusoftBatchStatus.Delivered, PlusoftBatchStatus.Delivered, PlusoftBatchStatus.Delivered],
            run.Batches.Select(b => b.Status));
        var rejected = run.Batches[1];
        Assert.Equal((400, 10L, "2024-07-01 00:00:11, 11", "2024-07-01 00:00:20, 20"), (rejected.HttpStatus, rejected.Rows, rejected.FirstKey, rejected.LastKey));
        var error = Assert.Single(run.Observer.Errors);
        Assert.Equal(SyncErrorKind.BatchRejected, error.Kind);
        Assert.Contains("Clientes batch #2", error.Message);
        Assert.Contains("keys (2024-07-01 00:00:11, 11) to (2024-07-01 00:00:20, 20)", error.Message);
        Assert.Contains("record 9 (key (2024-07-01 00:00:20, 20)) CPFCNPJ: deve ter 11 ou 14 dígitos", error.Message);
        Assert.Contains("-Pending", error.Message);
        Assert.Equal((1L, 10L, 1L), (run.Of("Clientes").Rejected, run.Of("Clientes").RejectedRows, run.Of("Clientes").Pending));
        Assert.Equal(35, Emulator.Count("clientes"));
        Assert.Equal("[{\"t\":\"dt\",\"v\":\"2024-07-01T00:00:45.0000000\"},{\"t\":\"i4\",\"v\":\"45\"}]", await WatermarkAsync(PlusoftContract.Clientes));

        // Still wrong: rejected again, still pending.
        var still = await SyncAsync(["Clientes"], batchSize: 10, pending: true);
        Assert.Equal(PlusoftBatchStatus.Rejected, Assert.Single(still.Batches).Status);
        Assert.True(still.Batches[0].Retried);
        Assert.Equal(1, still.Of("Clientes").Pending);

        // Fixed in the source (the view's change date untouched): -Pending reads the range again and delivers it.
        await UpdateAsync("VW_PLUSOFT_CLIENTE", $"{Q("NROCGCCPF")} = '00000000020'", $"{Q("SEQPESSOA")} = 20");
        var retried = await SyncAsync(["Clientes"], batchSize: 10, pending: true);
        var delivered = Assert.Single(retried.Batches);
        Assert.Equal((PlusoftBatchStatus.Delivered, 2L, 10L), (delivered.Status, delivered.Sequence, delivered.Rows));
        Assert.Equal(0, retried.Of("Clientes").Pending);
        AssertEachOnce("clientes", 45);
        Assert.Empty((await SyncAsync(["Clientes"], batchSize: 10, pending: true)).Batches);
        Assert.Empty((await SyncAsync(["Clientes"], batchSize: 10)).Batches);
    }

    [Fact]
    public async Task A_value_the_mapping_cannot_convert_keeps_its_batch_from_being_sent()
    {
        await CreateSampleAsync(filiais: 12, produtos: 1, clientes: 1, vendas: 1);
        await UpdateAsync("VW_PLUSOFT_FILIAL", $"{Q("STATUS")} = 'X'", $"{Q("NROEMPRESA")} = 7");
        var run = await SyncAsync(["Filiais"], batchSize: 5);

        var rejected = Assert.Single(run.Batches, b => b.Status == PlusoftBatchStatus.Rejected);
        Assert.Equal((2L, 0), (rejected.Sequence, rejected.HttpStatus));
        Assert.Contains("'X' is not one of the Values mapped to ATIVO", rejected.Message);
        Assert.Contains("record 1 (key (2024-07-01 00:00:07, 7))", rejected.Message);
        Assert.Equal(7, Emulator.Count("filiais"));
        Assert.DoesNotContain("7", Emulator.Received("filiais").Keys);
        Assert.Equal(2, Emulator.Calls.Count);
    }

    [Fact]
    public async Task Unknown_columns_and_views_are_named_before_anything_is_sent()
    {
        await CreateSampleAsync(filiais: 3, produtos: 1, clientes: 1, vendas: 1);
        var mapping = TestMapping.Data(Prefix);
        var filiais = (Dictionary<string, object?>)mapping["Filiais"]!;
        var fields = (List<object?>)filiais["Fields"]!;
        fields.Add(TestMapping.Field("CIDADE", "CIDADEE"));
        fields.Add(TestMapping.Field("RAZAOSOCIAL", "RAZAO"));
        var columns = await Assert.ThrowsAsync<SyncException>(() => SyncAsync(mapping: mapping));
        Assert.Equal(SyncErrorKind.ColumnNotFound, columns.Kind);
        Assert.Contains("Mapping 'test-mapping.psd1', Filiais: CIDADEE (field CIDADE), RAZAO (field RAZAOSOCIAL) are not columns of", columns.Message);

        mapping = TestMapping.Data(Prefix);
        ((Dictionary<string, object?>)mapping["Vendas"]!)["Source"] = Prefix + "VW_NO_SUCH_VIEW";
        var view = await Assert.ThrowsAsync<SyncException>(() => SyncAsync(mapping: mapping));
        Assert.Equal(SyncErrorKind.TableNotFound, view.Kind);
        Assert.Contains("Vendas", view.Message);
        Assert.Empty(Emulator.Calls);
        Assert.False(File.Exists(StatePath));
    }

    [Fact]
    public async Task A_whole_view_entity_is_sent_whole_each_run_and_a_failed_pass_resumes_by_key()
    {
        await CreateSampleAsync(filiais: 25, produtos: 1, clientes: 1, vendas: 1);
        var mapping = TestMapping.Map(("Filiais", TestMapping.Filiais(Prefix, cursor: null)));
        var first = await SyncAsync(mapping: mapping, batchSize: 10);
        Assert.Equal("the whole view each run, by key", first.Of("Filiais").Mode);
        Assert.Null(first.Of("Filiais").Watermark);
        AssertEachOnce("filiais", 25);

        // The second batch of the next pass meets a 500 that outlasts the retries: the pass stops there.
        Emulator.Faults.Replace(1, [FaultRule.Parse("any:delay:next=1,delay_ms=0"), FaultRule.Parse("any:500:next=3")]);
        var failed = await Assert.ThrowsAsync<SyncException>(() => SyncAsync(mapping: mapping, batchSize: 10, maxAttempts: 3));
        Assert.Equal(SyncErrorKind.RemoteCallFailed, failed.Kind);
        Assert.Contains("after 3 attempt(s)", failed.Message);
        Assert.Equal("[{\"t\":\"i4\",\"v\":\"10\"}]", await WatermarkAsync(PlusoftContract.Filiais));

        // The rerun finishes that pass from the key after the last batch answered, then starts over.
        var resumed = await SyncAsync(mapping: mapping, batchSize: 10);
        Assert.Equal(15, resumed.Of("Filiais").Rows);
        Assert.All(Emulator.Received("filiais").Values, n => Assert.Equal(2, n));
        Assert.Null(await WatermarkAsync(PlusoftContract.Filiais));
        Assert.Equal(25, (await SyncAsync(mapping: mapping, batchSize: 10)).Of("Filiais").Rows);
    }

    [Fact]
    public async Task Faults_lost_answers_and_a_stop_mid_run_deliver_every_record_exactly_once()
    {
        await CreateSampleAsync(filiais: 5, produtos: 80, clientes: 70, vendas: 900);
        Emulator.Faults.Replace(20_240_715,
        [
            FaultRule.Parse("any:lost-response:next=1"),
            FaultRule.Parse("any:500:percent=10"),
            FaultRule.Parse("any:429:percent=5,retry_after=0"),
            FaultRule.Parse("any:drop:percent=5"),
            FaultRule.Parse("any:lost-response:percent=10"),
        ]);
        // Stopped (as Ctrl+C stops it) after the 12th batch is answered: the batches read ahead are dropped.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var answered = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SyncAsync(batchSize: 25, maxAttempts: 10, ct: stop.Token, onBatch: _ => { if (Interlocked.Increment(ref answered) == 12) stop.Cancel(); }));

        var rest = await SyncAsync(batchSize: 25, maxAttempts: 10);
        Assert.Empty(rest.Observer.Errors);
        AssertEachOnce("filiais", 5);
        AssertEachOnce("produtos", 80);
        AssertEachOnce("clientes", 70);
        AssertEachOnce("vendas", 900);
        Assert.Contains(Emulator.Calls, c => c.Replayed); // a lost answer, retried with the same key, stored nothing twice
        Assert.Contains(Emulator.Calls, c => c.Status is 500 or 429);
        using var store = new StateStore(StatePath);
        Assert.Equal(Enumerable.Range(1, 36).Select(i => (long)i), store.Batches(await StreamAsync(PlusoftContract.Vendas)).Select(b => b.Sequence));
        var vendasRuns = store.Runs(await StreamAsync(PlusoftContract.Vendas));
        Assert.Equal([RunStatus.Succeeded, RunStatus.Stopped], vendasRuns.Select(r => r.Status)); // newest first
    }

    [Fact]
    public async Task A_refused_token_is_Unauthorized_and_nothing_is_committed()
    {
        await CreateSampleAsync(filiais: 3, produtos: 1, clientes: 1, vendas: 1);
        var error = await Assert.ThrowsAsync<SyncException>(() => SyncAsync(["Filiais"], token: "revoked-token-123"));
        Assert.Equal(SyncErrorKind.Unauthorized, error.Kind);
        Assert.DoesNotContain("revoked-token-123", error.Message);
        Assert.Null(await WatermarkAsync(PlusoftContract.Filiais));
        using var store = new StateStore(StatePath);
        Assert.Empty(store.Batches(await StreamAsync(PlusoftContract.Filiais)));
        Assert.Equal(RunStatus.Failed, store.Runs(await StreamAsync(PlusoftContract.Filiais)).Single().Status);
    }

    [Fact]
    public async Task Preview_maps_rows_from_the_start_without_sending_or_keeping_state()
    {
        await CreateSampleAsync(filiais: 1, produtos: 20, clientes: 1, vendas: 1);
        var plan = (await PlanAsync(entities: ["Produtos"])).Single();
        var seen = new List<(Dictionary<string, object?> Record, string Key, string? Problem)>();
        var count = await PlusoftPreview.ReadAsync(plan, await Db.ConnectAsync(Ct), skip: 8, first: 3, (r, k, p) => seen.Add((r, k, p)),
            new Infrastructure.RecordingObserver(), Ct);
        Assert.Equal(3, count);
        Assert.Equal([9L, 10L, 11L], seen.Select(s => (long)s.Record["CODPRODUTO"]!));
        Assert.Equal(10.99m, seen[1].Record["PRECO"]);
        Assert.False(seen[1].Record.ContainsKey("CODEAN"));
        Assert.Equal("2024-07-01 00:00:09, 9", seen[0].Key);
        Assert.All(seen, s => Assert.Null(s.Problem));
        Assert.Empty(Emulator.Calls);
        Assert.False(File.Exists(StatePath));
    }

    [Fact]
    public async Task Route_logs_follow_the_seeds_layout()
    {
        await CreateSampleAsync(filiais: 3, produtos: 1, clientes: 1, vendas: 4);
        var logs = Temp.Combine("Logs");
        var clock = new FixedClock(new DateTimeOffset(2024, 7, 15, 1, 0, 3, TimeSpan.FromHours(-3)));
        var run = await SyncAsync(batchSize: 2, logDirectory: logs, clock: clock);

        string File(string route) => Path.Combine(logs, route, "Julho", "15", $"15_07_2024_01h00_{route}.log");
        var vendas = File("Rota_Vendas");
        Assert.Equal([File("Rota_Clientes"), File("Rota_Filial"), File("Rota_Produtos"), vendas], Directory.GetFiles(logs, "*.log", SearchOption.AllDirectories).Order());
        Assert.Equal(vendas, run.Of("Vendas").LogFile);
        var lines = System.IO.File.ReadAllLines(vendas);
        Assert.StartsWith("2024-07-15 01:00:03.000 -03:00 [INF] Sync-Plusoft: Vendas:", lines[0]);
        Assert.Equal(2, lines.Count(l => l.Contains("delivered: 2 record(s)")));
        Assert.Contains("Succeeded: 4 row(s) in 2 batch(es): 2 delivered, 0 rejected.", lines[^1]);
        Assert.DoesNotContain(Emulator.Options.Token, System.IO.File.ReadAllText(vendas));
    }
}

public sealed class PostgreSqlPlusoftSyncTests() : PlusoftSyncTests(TestDatabase.PostgreSql);

public sealed class MariaDbPlusoftSyncTests() : PlusoftSyncTests(TestDatabase.MariaDb);
