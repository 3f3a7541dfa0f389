using System.Text.Json.Serialization;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// The Plusoft transactional load API ("carga transacional") as this module speaks it, in one place:
/// paths, headers, JSON shapes, the four entities with their fields, types and keys. Plusoft's own
/// documentation was not available when this was written: the shapes are ours (the seed's bridge POSTed
/// JSON arrays of mapped records, 1,000 at a time, to one endpoint per entity, with upper-case field
/// names such as TXTDESCRICAORESUMIDA), and the test emulator (tests/DataSyncPS.Emulators/Plusoft)
/// speaks exactly this. Where the real API differs, change it here and in the emulator.
/// <code>
/// POST {api}/{entity}            entity: filiais, produtos, clientes, vendas
///      Authorization: Bearer {token}          the integration token (-ApiKey), in this header only
///      Idempotency-Key: {sha256}-{sequence}   the batch's key (DESIGN contract 4)
///      Content-Type: application/json; charset=utf-8, with Content-Length (never chunked)
///      body: [{record}, ...]                  1 to 5,000 records of the entity's fields (below)
///   200 {"lote": "L-000123", "recebidos": 1000}
///       the whole batch is stored, each record upserted by the entity's key; the same Idempotency-Key
///       with the same body again gets the same answer and stores nothing twice
///   400 {"mensagem": "Lote rejeitado: 1 registro(s) inválido(s)",
///        "erros": [{"indice": 3, "campo": "CPFCNPJ", "mensagem": "deve ter 11 ou 14 dígitos"}]}
///       the batch is refused whole and nothing is stored: a record lacks a required field, has a value
///       of the wrong type or too long, a field the entity does not have, or a document number (CNPJ,
///       CPF) that is not valid; indice counts from 0 in the batch
///   401 {"mensagem": "..."}   the token is missing or refused
///   409 {"mensagem": "..."}   the Idempotency-Key was used before for another body
///   413 {"mensagem": "..."}   more records than one call takes
///   429 with Retry-After (seconds) over the rate limit; 500, 503; a dropped connection
/// Values: Integer a JSON integer; Decimal a JSON number; String a JSON string of at most MaxLength
///   characters; Boolean true/false; Date "yyyy-MM-dd"; DateTime "yyyy-MM-ddTHH:mm:ss" (the store's
///   local time; an offset or a fraction of a second is accepted); null, or the field left out, where
///   the field is not required.
/// </code>
/// Entities are sent in <see cref="Entities"/> order: a sale names its store, product and customer,
/// so those go first.
/// </summary>
public static class PlusoftContract
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxRecordsPerCall = 5_000;

    public static readonly PlusoftEntity Filiais = new("Filiais", "filiais", ["CODFILIAL"],
    [
        new("CODFILIAL", PlusoftFieldType.Integer, Required: true),
        new("NOMEFILIAL", PlusoftFieldType.String, Required: true, MaxLength: 60),
        new("RAZAOSOCIAL", PlusoftFieldType.String, MaxLength: 100),
        new("CNPJ", PlusoftFieldType.String, Required: true, MaxLength: 14),
        new("CIDADE", PlusoftFieldType.String, MaxLength: 60),
        new("UF", PlusoftFieldType.String, MaxLength: 2),
        new("ATIVO", PlusoftFieldType.Boolean),
        new("DATAALTERACAO", PlusoftFieldType.DateTime),
        new("ORIGEM", PlusoftFieldType.String, MaxLength: 20),
    ]);

    public static readonly PlusoftEntity Produtos = new("Produtos", "produtos", ["CODPRODUTO"],
    [
        new("CODPRODUTO", PlusoftFieldType.Integer, Required: true),
        new("TXTDESCRICAO", PlusoftFieldType.String, Required: true, MaxLength: 120),
        new("TXTDESCRICAORESUMIDA", PlusoftFieldType.String, MaxLength: 40),
        new("CODEAN", PlusoftFieldType.String, MaxLength: 14),
        new("CODFAMILIA", PlusoftFieldType.Integer),
        new("UNIDADE", PlusoftFieldType.String, MaxLength: 6),
        new("PRECO", PlusoftFieldType.Decimal),
        new("ATIVO", PlusoftFieldType.Boolean),
        new("DATAALTERACAO", PlusoftFieldType.DateTime),
        new("ORIGEM", PlusoftFieldType.String, MaxLength: 20),
    ]);

    public static readonly PlusoftEntity Clientes = new("Clientes", "clientes", ["CODCLIENTE"],
    [
        new("CODCLIENTE", PlusoftFieldType.Integer, Required: true),
        new("NOME", PlusoftFieldType.String, Required: true, MaxLength: 100),
        new("NOMEFANTASIA", PlusoftFieldType.String, MaxLength: 100),
        new("CPFCNPJ", PlusoftFieldType.String, Required: true, MaxLength: 14),
        new("TIPOPESSOA", PlusoftFieldType.String, MaxLength: 1),
        new("EMAIL", PlusoftFieldType.String, MaxLength: 100),
        new("TELEFONE", PlusoftFieldType.String, MaxLength: 20),
        new("CIDADE", PlusoftFieldType.String, MaxLength: 60),
        new("UF", PlusoftFieldType.String, MaxLength: 2),
        new("DATANASCIMENTO", PlusoftFieldType.Date),
        new("DATAALTERACAO", PlusoftFieldType.DateTime),
        new("ORIGEM", PlusoftFieldType.String, MaxLength: 20),
    ]);

    public static readonly PlusoftEntity Vendas = new("Vendas", "vendas", ["CODFILIAL", "NUMERODOCUMENTO", "ITEM"],
    [
        new("CODFILIAL", PlusoftFieldType.Integer, Required: true),
        new("NUMERODOCUMENTO", PlusoftFieldType.Integer, Required: true),
        new("SERIE", PlusoftFieldType.String, MaxLength: 3),
        new("ITEM", PlusoftFieldType.Integer, Required: true),
        new("DATAVENDA", PlusoftFieldType.Date, Required: true),
        new("CODPRODUTO", PlusoftFieldType.Integer, Required: true),
        new("CODCLIENTE", PlusoftFieldType.Integer),
        new("QUANTIDADE", PlusoftFieldType.Decimal, Required: true),
        new("VALORUNITARIO", PlusoftFieldType.Decimal),
        new("VALORTOTAL", PlusoftFieldType.Decimal, Required: true),
        new("VALORDESCONTO", PlusoftFieldType.Decimal),
        new("ORIGEM", PlusoftFieldType.String, MaxLength: 20),
    ]);

    /// <summary>Every entity, in the order a full sync sends them.</summary>
    public static readonly IReadOnlyList<PlusoftEntity> Entities = [Filiais, Produtos, Clientes, Vendas];

    public static PlusoftEntity Entity(string name) =>
        Entities.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new SyncException(SyncErrorKind.InvalidArgument,
            $"'{name}' is not a Plusoft entity ({string.Join(", ", Entities.Select(e => e.Name))}).", target: name);

    /// <summary>The 200 answer.</summary>
    public sealed record Accepted(
        [property: JsonPropertyName("lote")] string? Lote,
        [property: JsonPropertyName("recebidos")] long Recebidos);

    /// <summary>Every error answer; <see cref="Erros"/> only on 400.</summary>
    public sealed record ErrorResponse(
        [property: JsonPropertyName("mensagem")] string? Mensagem,
        [property: JsonPropertyName("erros")] IReadOnlyList<RecordError>? Erros);

    /// <summary>One refused record of a 400: its place in the batch (from 0), the field and why.</summary>
    public sealed record RecordError(
        [property: JsonPropertyName("indice")] int? Indice,
        [property: JsonPropertyName("campo")] string? Campo,
        [property: JsonPropertyName("mensagem")] string? Mensagem);
}
