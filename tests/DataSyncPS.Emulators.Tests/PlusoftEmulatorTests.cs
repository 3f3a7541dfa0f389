using System.Net;
using System.Text;
using System.Text.Json;
using DataSyncPS.Emulators.DataSnap;
using DataSyncPS.Emulators.Plusoft;
using DataSyncPS.Emulators.Tests.Infrastructure;

namespace DataSyncPS.Emulators.Tests;

/// <summary>The Plusoft emulator with a plain HttpClient, as any client of the contract talks to it:
/// the token, batches stored or refused whole, 400 naming the bad records, idempotency keys, faults.</summary>
public sealed class PlusoftEmulatorTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static string Produto(long id, string descricao = "Arroz tipo 1 5kg") =>
        $$"""{"CODPRODUTO": {{id}}, "TXTDESCRICAO": "{{descricao}}", "PRECO": 21.90, "ATIVO": true, "DATAALTERACAO": "2024-07-15T01:00:00"}""";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(PlusoftEmulator e, string entity, string json,
        string? token = null, string? key = null, bool chunked = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{e.ApiBaseUrl}/{entity}");
        var bytes = Encoding.UTF8.GetBytes(json);
        request.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new("application/json");
        if (chunked) request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", token ?? e.Options.Token);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        request.Headers.ConnectionClose = true;
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_valid_batch_is_stored_whole_and_answered_with_its_lote()
    {
        await using var e = await PlusoftEmulator.StartAsync();
        var (status, body) = await PostAsync(e, "produtos", $"[{Produto(1)}, {Produto(2, "Feijão carioca 1kg")}]");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("recebidos").GetInt32());
        Assert.StartsWith("L-", body.GetProperty("lote").GetString());
        Assert.Equal(2, e.Count("produtos"));
        Assert.Equal("Feijão carioca 1kg", e.Records("produtos")["2"].GetProperty("TXTDESCRICAO").GetString());
    }

    [Fact]
    public async Task A_wrong_or_missing_token_is_401_and_a_chunked_body_is_411()
    {
        await using var e = await PlusoftEmulator.StartAsync();
        var (wrong, body) = await PostAsync(e, "produtos", $"[{Produto(1)}]", token: "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("mensagem").GetString()));
        var (chunked, _) = await PostAsync(e, "produtos", $"[{Produto(1)}]", chunked: true);
        Assert.Equal(HttpStatusCode.LengthRequired, chunked);
        Assert.Equal(0, e.Count("produtos"));
    }

    [Fact]
    public async Task A_bad_record_refuses_the_whole_batch_with_400_naming_each_record_and_field()
    {
        await using var e = await PlusoftEmulator.StartAsync();
        var clientes = """
            [{"CODCLIENTE": 1, "NOME": "Maria", "CPFCNPJ": "12345678901"},
             {"CODCLIENTE": 2, "NOME": "José", "CPFCNPJ": "123"},
             {"CODCLIENTE": 3, "CPFCNPJ": "12345678000199", "UF": "pe", "APELIDO": "x", "DATANASCIMENTO": "1990-13-01"},
             {"CODCLIENTE": "4", "NOME": "Ana", "CPFCNPJ": "12345678901", "DATAALTERACAO": "15/07/2024"}]
            """;
        var (status, body) = await PostAsync(e, "clientes", clientes);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("3 registro(s) inválido(s)", body.GetProperty("mensagem").GetString());
        var errors = body.GetProperty("erros").EnumerateArray()
            .Select(x => $"{x.GetProperty("indice").GetInt32()} {x.GetProperty("campo").GetString()}").ToList();
        Assert.Equal(["1 CPFCNPJ", "2 UF", "2 APELIDO", "2 DATANASCIMENTO", "2 NOME", "3 CODCLIENTE", "3 DATAALTERACAO"], errors);
        Assert.Equal(0, e.Count("clientes"));

        var (tooLong, _) = await PostAsync(e, "produtos", $"[{Produto(1, new string('x', 121))}]");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        var (empty, _) = await PostAsync(e, "produtos", "[]");
        Assert.Equal(HttpStatusCode.BadRequest, empty);
        var (notArray, _) = await PostAsync(e, "produtos", Produto(1));
        Assert.Equal(HttpStatusCode.BadRequest, notArray);
        var (unknown, _) = await PostAsync(e, "pedidos", $"[{Produto(1)}]");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task More_records_than_one_call_takes_is_413()
    {
        await using var e = await PlusoftEmulator.StartAsync(new PlusoftEmulatorOptions { MaxRecordsPerCall = 3 });
        var (status, _) = await PostAsync(e, "produtos", "[" + string.Join(",", Enumerable.Range(1, 4).Select(i => Produto(i))) + "]");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_is_answered_again_and_stored_once_another_body_is_409()
    {
        await using var e = await PlusoftEmulator.StartAsync();
        var batch = $"[{Produto(1)}, {Produto(2)}]";
        var (first, a) = await PostAsync(e, "produtos", batch, key: "abc-1");
        var (again, b) = await PostAsync(e, "produtos", batch, key: "abc-1");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first, again));
        Assert.Equal(a.GetProperty("lote").GetString(), b.GetProperty("lote").GetString());
        Assert.Equal(2, e.Count("produtos"));
        Assert.All(e.Received("produtos").Values, n => Assert.Equal(1, n));
        Assert.Single(e.Calls, c => c.Replayed);

        var (other, _) = await PostAsync(e, "produtos", $"[{Produto(3)}]", key: "abc-1");
        Assert.Equal(HttpStatusCode.Conflict, other);
        // Without a key (or with a new one) the same records count again: the test's "received twice".
        await PostAsync(e, "produtos", batch, key: "abc-2");
        Assert.All(e.Received("produtos").Values, n => Assert.Equal(2, n));
    }

    [Fact]
    public async Task A_sale_must_name_a_known_store_product_and_customer_when_references_are_checked()
    {
        await using var e = await PlusoftEmulator.StartAsync(new PlusoftEmulatorOptions { CheckReferences = true });
        const string venda = """[{"CODFILIAL": 1, "NUMERODOCUMENTO": 10, "ITEM": 1, "DATAVENDA": "2024-07-15", "CODPRODUTO": 7, "CODCLIENTE": null, "QUANTIDADE": 2, "VALORTOTAL": 43.80}]""";
        var (refused, body) = await PostAsync(e, "vendas", venda);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal(["CODFILIAL", "CODPRODUTO"], body.GetProperty("erros").EnumerateArray().Select(x => x.GetProperty("campo").GetString()));
        await PostAsync(e, "filiais", """[{"CODFILIAL": 1, "NOMEFILIAL": "Loja Centro", "CNPJ": "12345678000199"}]""");
        await PostAsync(e, "produtos", $"[{Produto(7)}]");
        var (accepted, _) = await PostAsync(e, "vendas", venda);
        Assert.Equal(HttpStatusCode.OK, accepted);
    }

    [Fact]
    public async Task Faults_answer_429_with_Retry_After_500_drop_and_a_lost_response_stores_the_batch()
    {
        await using var e = await PlusoftEmulator.StartAsync();
        e.Faults.Replace(1, [FaultRule.Parse("any:429:next=1,retry_after=3")]);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{e.ApiBaseUrl}/produtos") { Content = new StringContent($"[{Produto(1)}]", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", e.Options.Token);
        using (var response = await Http.SendAsync(request, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        }
        e.Faults.Replace(1, [FaultRule.Parse("any:500:next=1")]);
        Assert.Equal(HttpStatusCode.InternalServerError, (await PostAsync(e, "produtos", $"[{Produto(1)}]")).Status);
        e.Faults.Replace(1, [FaultRule.Parse("any:drop:next=1")]);
        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(e, "produtos", $"[{Produto(1)}]"));
        Assert.Equal(0, e.Count("produtos"));

        e.Faults.Replace(1, [FaultRule.Parse("any:lost-response:next=1")]);
        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(e, "produtos", $"[{Produto(1)}]", key: "k-1"));
        Assert.Equal(1, e.Count("produtos"));
        // The client's retry with the same key is answered, and nothing is stored twice.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(e, "produtos", $"[{Produto(1)}]", key: "k-1")).Status);
        Assert.Equal(1, e.Count("produtos"));
        Assert.Equal(4, e.Calls.Count(c => c.Fault is not null));
    }

    [Fact]
    public void Command_line_options_reach_the_emulator()
    {
        var o = PlusoftCommandLine.Parse(["--port", "0", "--token", "t", "--api-path", "/x", "--check-references", "--count-only",
            "--seed", "3", "--fault", "any:503:percent=5,retry_after=1", "--quiet", "--allow-chunked"]);
        Assert.Equal((0, "t", "/x", true, false, 3, false, false), (o.Port, o.Token, o.ApiPath, o.CheckReferences, o.KeepRecords, o.Seed, o.LogCalls, o.RequireContentLength));
        Assert.Equal("any:503:percent=5,retry_after=1", Assert.Single(o.Faults).ToString());
        Assert.Throws<FormatException>(() => PlusoftCommandLine.Parse(["--fault", "put:reset:next=1"]));
        Assert.Throws<FormatException>(() => PlusoftCommandLine.Parse(["--tokn", "t"]));
    }

    [Fact]
    public async Task Runs_as_a_program_and_prints_its_url_and_token()
    {
        await using var emulator = await EmulatorProcess.StartAsync("plusoft", "--port", "0", "--token", "tok-4711");
        Assert.Equal("tok-4711", emulator.Banner["API token"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, emulator.Banner["API base URL"] + "/filiais")
        {
            Content = new StringContent("""[{"CODFILIAL": 1, "NOMEFILIAL": "Loja", "CNPJ": "12345678000199"}]""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "tok-4711");
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logLine = await emulator.ReadLineAsync();
        Assert.Contains("POST filiais -> 200 records=1", logLine);
        Assert.DoesNotContain("tok-4711", logLine);
    }
}
