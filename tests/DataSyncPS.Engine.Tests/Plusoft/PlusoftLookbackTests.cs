using DataSyncPS.Engine.Tests.Incremental;

namespace DataSyncPS.Engine.Tests.Plusoft;

/// <summary>
/// Vendas posted late for a date already synced (a store closes its till the next morning): with
/// LookbackDays the next run reads again from that many days before the watermark's date, so a late
/// sale is sent, and the window's rows sent before go again (Plusoft upserts them by key), counted as
/// LookbackRows; a late sale older than the window is not read.
/// </summary>
public abstract class PlusoftLookbackTests(TestDatabase db) : PlusoftTest(db)
{
    /// <summary>A sale item of store 1 on <paramref name="day"/> of July 2024.</summary>
    private Task InsertVendaAsync(long document, int item, int day) =>
        Db.ExecuteAsync($"INSERT INTO {Db.Quote(Prefix + "VW_PLUSOFT_VENDA")} ({Q("NROEMPRESA")}, {Q("NUMERODF")}, {Q("SERIEDF")}, {Q("SEQITEM")}, {Q("DTAVDA")}, " +
                        $"{Q("SEQPRODUTO")}, {Q("QTDITEM")}, {Q("VLRTOTAL")}) VALUES (1, @p0, '1', @p1, @p2, 1, 1, 9.90)", document, item, new DateTime(2024, 7, day));

    private Dictionary<string, object?> Mapping(int? lookbackDays)
    {
        var mapping = TestMapping.Data(Prefix);
        var vendas = (Dictionary<string, object?>)mapping["Vendas"]!;
        if (lookbackDays is { } days) vendas["LookbackDays"] = days;
        return TestMapping.Map(("Vendas", vendas));
    }

    [Fact]
    public async Task The_plan_says_how_far_back_a_run_reads_so_WhatIf_can_show_it()
    {
        await CreateSampleAsync(filiais: 1, produtos: 1, clientes: 1, vendas: 1);
        var plan = (await PlanAsync(Mapping(lookbackDays: 2), ["Vendas"])).Single();
        Assert.Equal((2, 0, 5), (plan.LookbackDays(null), plan.LookbackDays(0), plan.LookbackDays(5)));
        Assert.Equal("incremental by DTAVDA, from 2 day(s) before the last run's DTAVDA", plan.Describe(null));
        Assert.Equal("incremental by DTAVDA", plan.Describe(0));
        Assert.Equal("incremental by DTAVDA, from 5 day(s) before the last run's DTAVDA", plan.Describe(5));
    }

    [Fact]
    public async Task A_sale_posted_late_for_a_synced_date_goes_with_the_next_run_and_the_window_is_sent_again_and_counted()
    {
        // 300 sales a day from 1 July: 1, 2 and 3 July full, 4 July 5 items; the watermark ends at 4 July, (1, 302, 2).
        await CreateSampleAsync(filiais: 7, produtos: 10, clientes: 10, vendas: 905);
        var mapping = Mapping(lookbackDays: 1);
        var first = await SyncAsync(["Vendas"], mapping: mapping, batchSize: 100);
        Assert.Equal(905, first.Of("Vendas").Rows);
        Assert.Equal(0, first.Of("Vendas").LookbackRows); // a first run has no watermark to look back from
        AssertEachOnce("vendas", 905);

        // Late: 4 July with a key before the watermark's, 3 July (the window's first day), and 1 July (outside
        // it); new: 5 July.
        await InsertVendaAsync(1, 9, day: 4);
        await InsertVendaAsync(9000, 1, day: 3);
        await InsertVendaAsync(9001, 1, day: 1);
        await InsertVendaAsync(9002, 1, day: 5);
        var second = await SyncAsync(["Vendas"], mapping: mapping, batchSize: 100);

        var vendas = second.Of("Vendas");
        Assert.Empty(second.Observer.Errors);
        Assert.Equal(300 + 5 + 2 + 1, vendas.Rows); // 3 and 4 July again with the two late sales, and 5 July
        Assert.Equal(300 + 5 + 2, vendas.LookbackRows);
        Assert.Equal(vendas.LookbackRows, second.Batches.Sum(b => b.LookbackRows));
        Assert.Contains(second.Observer.VerboseMessages, v => v.Contains("re-reading from 2024-07-03") && v.Contains("look-back 1 day(s)"));
        var received = Emulator.Received("vendas");
        Assert.Equal(1, received["1|1|9"]);
        Assert.Equal(1, received["1|9000|1"]);
        Assert.Equal(1, received["1|9002|1"]);
        Assert.False(received.ContainsKey("1|9001|1")); // older than the window
        Assert.Equal(2, received["1|302|2"]);           // the watermark's own row, sent again
        Assert.Equal(1, received["1|1|1"]);             // 1 July, outside the window
        Assert.Equal(905 + 3, received.Count);

        // The next run looks back from 5 July: 4 and 5 July again, nothing else.
        var third = await SyncAsync(["Vendas"], mapping: mapping, batchSize: 100);
        Assert.Equal(5 + 1 + 1, third.Of("Vendas").Rows);
        Assert.Equal(third.Of("Vendas").Rows, third.Of("Vendas").LookbackRows);
    }

    [Fact]
    public async Task Without_a_look_back_a_late_sale_before_the_watermark_is_not_sent_and_the_option_overrides_the_mapping()
    {
        await CreateSampleAsync(filiais: 7, produtos: 10, clientes: 10, vendas: 305);
        var mapping = Mapping(lookbackDays: null);
        await SyncAsync(["Vendas"], mapping: mapping, batchSize: 100);
        await InsertVendaAsync(1, 9, day: 2);

        var plain = await SyncAsync(["Vendas"], mapping: mapping, batchSize: 100);
        Assert.Equal(0, plain.Of("Vendas").Rows); // what LookbackDays is for
        Assert.False(Emulator.Received("vendas").ContainsKey("1|1|9"));

        // -LookbackDays on the command line: one day before 2 July's watermark, so 1 and 2 July again.
        var caught = await SyncAsync(["Vendas"], mapping: mapping, batchSize: 100, lookbackDays: 1);
        Assert.Equal(1, Emulator.Received("vendas")["1|1|9"]);
        Assert.Equal(306, caught.Of("Vendas").Rows);
        Assert.Equal(306, caught.Of("Vendas").LookbackRows);

        // A mapping's look-back turned off for one run.
        await InsertVendaAsync(1, 10, day: 2);
        Assert.Equal(0, (await SyncAsync(["Vendas"], mapping: Mapping(lookbackDays: 1), batchSize: 100, lookbackDays: 0)).Of("Vendas").Rows);
    }
}

public sealed class PostgreSqlPlusoftLookbackTests() : PlusoftLookbackTests(TestDatabase.PostgreSql);

public sealed class MariaDbPlusoftLookbackTests() : PlusoftLookbackTests(TestDatabase.MariaDb);
