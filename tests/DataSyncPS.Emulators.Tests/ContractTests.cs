using System.Net;
using System.Text.Json;
using DataSyncPS.Emulators.Tests.Infrastructure;

namespace DataSyncPS.Emulators.Tests;

/// <summary>Every point of the DataSnap contract (DESIGN.md "External contracts"), with no faults.</summary>
public sealed class ContractTests
{
    private static string Names(JsonElement body) => string.Join(",", body.EnumerateObject().Select(p => p.Name).Order());

    [Fact]
    public async Task Wrong_or_missing_key_is_401_with_an_error_on_every_call()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(3);
        foreach (var key in new[] { "wrong-key", "" })
        {
            using var schema = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas", apiKey: key);
            await TestEmulator.ErrorAsync(schema, HttpStatusCode.Unauthorized);
            using var token = await e.ApiAsync(HttpMethod.Post, "/schemas/vendas/generate-upload-token", file.TokenBody, apiKey: key);
            await TestEmulator.ErrorAsync(token, HttpStatusCode.Unauthorized);
            using var confirm = await e.ApiAsync(HttpMethod.Post, "/schemas/vendas/uploads/x/confirm", file.ConfirmBody, apiKey: key);
            await TestEmulator.ErrorAsync(confirm, HttpStatusCode.Unauthorized);
        }
        Assert.Equal(0, (await e.ControlAsync("/stats")).GetProperty("uploads").GetInt32());
    }

    [Fact]
    public async Task Several_keys_can_be_accepted()
    {
        await using var e = await TestEmulator.StartAsync(o => o.ApiKeys.AddRange(["first", "second"]));
        using var response = await e.ApiAsync(HttpMethod.Get, "/schemas/vendas", apiKey: "second");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Schema_lookup_returns_slug_and_name_or_404()
    {
        await using var e = await TestEmulator.StartAsync(o => o.Schemas["pedidos"] = "Pedidos de venda");
        using var found = await e.ApiAsync(HttpMethod.Get, "/schemas/pedidos");
        var body = await TestEmulator.JsonAsync(found, HttpStatusCode.OK);
        Assert.Equal("name,slug", Names(body));
        Assert.Equal("pedidos", body.GetProperty("slug").GetString());
        Assert.Equal("Pedidos de venda", body.GetProperty("name").GetString());

        using var missing = await e.ApiAsync(HttpMethod.Get, "/schemas/nao-existe");
        await TestEmulator.ErrorAsync(missing, HttpStatusCode.NotFound);
        using var tokenMissing = await e.TokenAsync(TestFile.Make(1), "nao-existe");
        await TestEmulator.ErrorAsync(tokenMissing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Token_put_confirm_stores_the_exact_bytes_and_counts_the_rows()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(250);

        var token = await e.TokenOkAsync(file);
        Assert.Equal("expires_at,headers,upload_id,upload_url", Names(token));
        Assert.Equal("application/gzip", token.GetProperty("headers").GetProperty("Content-Type").GetString());
        var expiresAt = DateTimeOffset.Parse(token.GetProperty("expires_at").GetString()!);
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow.AddMinutes(3));
        Assert.StartsWith(e.Emulator.S3PublicEndpoint.ToString(), token.GetProperty("upload_url").GetString());

        using (var put = await e.PutAsync(token, file.Bytes)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var id = token.GetProperty("upload_id").GetString()!;
        using var confirm = await e.ConfirmAsync(id, file.ConfirmBody);
        var answer = await TestEmulator.JsonAsync(confirm, HttpStatusCode.OK);
        Assert.Equal("rows,status,upload_id", Names(answer));
        Assert.Equal(id, answer.GetProperty("upload_id").GetString());
        Assert.Equal("confirmed", answer.GetProperty("status").GetString());
        Assert.Equal(250, answer.GetProperty("rows").GetInt64());

        Assert.Equal(file.Bytes, await e.StoredBytesAsync(id));
        var uploads = await e.ControlAsync("/uploads");
        var upload = Assert.Single(uploads.EnumerateArray());
        Assert.Equal("vendas", upload.GetProperty("schema").GetString());
        Assert.Equal(file.Name, upload.GetProperty("filename").GetString());
        Assert.Equal(file.Sha256, upload.GetProperty("sha256").GetString());
        Assert.Equal(file.IdempotencyKey, upload.GetProperty("idempotency_key").GetString());
        Assert.Equal($"vendas/{id}/{file.Name}", upload.GetProperty("object_key").GetString());
        Assert.Equal(1, upload.GetProperty("confirm_count").GetInt32());
        Assert.Equal(250, (await e.ControlAsync("/stats")).GetProperty("confirmed_rows").GetProperty("vendas").GetInt64());
    }

    [Fact]
    public async Task The_same_idempotency_key_gets_the_same_upload_and_the_same_valid_url()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(5);
        var first = await e.TokenOkAsync(file);
        var again = await e.TokenOkAsync(file);
        Assert.Equal(first.GetProperty("upload_id").GetString(), again.GetProperty("upload_id").GetString());
        Assert.Equal(first.GetProperty("upload_url").GetString(), again.GetProperty("upload_url").GetString());

        var other = await e.TokenOkAsync(TestFile.Make(5, sequence: 2));
        Assert.NotEqual(first.GetProperty("upload_id").GetString(), other.GetProperty("upload_id").GetString());
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_a_different_file_is_409()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(5);
        await e.TokenOkAsync(file);
        using var response = await e.TokenAsync(file with { Sha256 = TestFile.Make(6).Sha256 });
        await TestEmulator.ErrorAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Confirming_again_returns_the_same_answer_and_counts_the_rows_once()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(40);
        var id = (await e.TokenAndPutAsync(file)).GetProperty("upload_id").GetString()!;
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var confirm = await e.ConfirmAsync(id, file.ConfirmBody);
            answers.Add((await TestEmulator.JsonAsync(confirm, HttpStatusCode.OK)).GetRawText());
        }
        Assert.Single(answers.Distinct());
        Assert.Equal(40, (await e.ControlAsync("/stats")).GetProperty("confirmed_rows").GetProperty("vendas").GetInt64());
        Assert.Equal(3, (await e.ControlAsync($"/uploads/{id}")).GetProperty("confirm_count").GetInt32());
    }

    [Fact]
    public async Task Stored_file_with_another_sha256_is_409_and_nothing_is_counted()
    {
        await using var e = await TestEmulator.StartAsync();
        var declared = TestFile.Make(10);
        var token = await e.TokenOkAsync(declared);
        using (var put = await e.PutAsync(token, TestFile.Make(10).Bytes)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var id = token.GetProperty("upload_id").GetString()!;
        using var confirm = await e.ConfirmAsync(id, declared.ConfirmBody);
        Assert.Contains("SHA-256", await TestEmulator.ErrorAsync(confirm, HttpStatusCode.Conflict));
        Assert.Equal(0, (await e.ControlAsync("/stats")).GetProperty("confirmed_uploads").GetInt32());

        // The right bytes PUT again to the same URL: now it confirms.
        using (var put = await e.PutAsync(token, declared.Bytes)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var retry = await e.ConfirmAsync(id, declared.ConfirmBody);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task Confirm_without_a_stored_file_or_with_wrong_details_is_refused()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(10);
        var id = (await e.TokenOkAsync(file)).GetProperty("upload_id").GetString()!;

        using (var notPut = await e.ConfirmAsync(id, file.ConfirmBody))
            Assert.Contains("no file", await TestEmulator.ErrorAsync(notPut, HttpStatusCode.Conflict));
        using (var unknown = await e.ConfirmAsync("nao-existe", file.ConfirmBody))
            await TestEmulator.ErrorAsync(unknown, HttpStatusCode.NotFound);
        using (var otherSchema = await e.ConfirmAsync(id, file.ConfirmBody, slug: "clientes"))
            await TestEmulator.ErrorAsync(otherSchema, HttpStatusCode.NotFound);
        using (var otherKey = await e.ConfirmAsync(id, new { rows = 10, sha256 = file.Sha256, idempotency_key = "outra" }))
            await TestEmulator.ErrorAsync(otherKey, HttpStatusCode.Conflict);
        using (var otherRows = await e.ConfirmAsync(id, new { rows = 11, sha256 = file.Sha256, idempotency_key = file.IdempotencyKey }))
            await TestEmulator.ErrorAsync(otherRows, HttpStatusCode.Conflict);
        Assert.Equal(0, (await e.ControlAsync("/stats")).GetProperty("confirmed_uploads").GetInt32());
    }

    [Fact]
    public async Task Malformed_bodies_are_400_with_what_is_wrong()
    {
        await using var e = await TestEmulator.StartAsync();
        using (var missing = await e.ApiAsync(HttpMethod.Post, "/schemas/vendas/generate-upload-token", new { filename = "a.jsonl.gz", size = 3 }))
        {
            var error = await TestEmulator.ErrorAsync(missing, HttpStatusCode.BadRequest);
            Assert.Contains("rows", error);
            Assert.Contains("sha256", error);
            Assert.Contains("idempotency_key", error);
        }
        using (var badSha = await e.ApiAsync(HttpMethod.Post, "/schemas/vendas/generate-upload-token",
                   new { filename = "a", size = 1, rows = 1, sha256 = "abc", idempotency_key = "k" }))
            Assert.Contains("64", await TestEmulator.ErrorAsync(badSha, HttpStatusCode.BadRequest));
        var request = new HttpRequestMessage(HttpMethod.Post, e.Api + "/schemas/vendas/generate-upload-token")
        {
            Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-Key", e.ApiKey);
        using var notJson = await e.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await TestEmulator.ErrorAsync(notJson, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_file_name_cannot_escape_its_object_key()
    {
        await using var e = await TestEmulator.StartAsync();
        var file = TestFile.Make(2) with { Name = "../../etc/pass wd?.jsonl.gz" };
        var token = await e.TokenAndPutAsync(file);
        var id = token.GetProperty("upload_id").GetString()!;
        var upload = await e.ControlAsync($"/uploads/{id}");
        Assert.Equal($"vendas/{id}/pass_wd_.jsonl.gz", upload.GetProperty("object_key").GetString());
        Assert.Equal(file.Bytes, await e.StoredBytesAsync(id));
    }
}
