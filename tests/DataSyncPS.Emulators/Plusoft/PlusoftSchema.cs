using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataSyncPS.Emulators.Plusoft;

/// <summary>
/// The four entities as the API checks them: fields, types, lengths, required ones, keys, and the
/// business rules the contract names (CNPJ 14 digits, CPF or CNPJ 11 or 14, UF two capitals). Written
/// from the contract's comment in src/DataSyncPS.Engine/Plusoft/PlusoftContract.cs, not from its code:
/// the emulator is the other side of the contract, and a client that drifts from it must fail here.
/// </summary>
public static partial class PlusoftSchema
{
    public enum Kind { Integer, Decimal, String, Boolean, Date, DateTime }

    public sealed record Field(string Name, Kind Type, bool Required = false, int MaxLength = 0, Func<string, string?>? Rule = null);

    public sealed record Entity(string Path, string[] Key, Field[] Fields)
    {
        public Field? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);
    }

    private static string? Digits(string value, params int[] lengths) =>
        value.All(char.IsAsciiDigit) && lengths.Contains(value.Length) ? null : $"deve ter {string.Join(" ou ", lengths)} dígitos";

    private static string? Uf(string value) => value.Length == 2 && value.All(char.IsAsciiLetterUpper) ? null : "deve ser a sigla do estado (2 letras maiúsculas)";

    public static readonly IReadOnlyDictionary<string, Entity> Entities = new Dictionary<string, Entity>
    {
        ["filiais"] = new("filiais", ["CODFILIAL"],
        [
            new("CODFILIAL", Kind.Integer, true), new("NOMEFILIAL", Kind.String, true, 60), new("RAZAOSOCIAL", Kind.String, false, 100),
            new("CNPJ", Kind.String, true, 14, v => Digits(v, 14)), new("CIDADE", Kind.String, false, 60), new("UF", Kind.String, false, 2, Uf),
            new("ATIVO", Kind.Boolean), new("DATAALTERACAO", Kind.DateTime), new("ORIGEM", Kind.String, false, 20),
        ]),
        ["produtos"] = new("produtos", ["CODPRODUTO"],
        [
            new("CODPRODUTO", Kind.Integer, true), new("TXTDESCRICAO", Kind.String, true, 120), new("TXTDESCRICAORESUMIDA", Kind.String, false, 40),
            new("CODEAN", Kind.String, false, 14), new("CODFAMILIA", Kind.Integer), new("UNIDADE", Kind.String, false, 6), new("PRECO", Kind.Decimal),
            new("ATIVO", Kind.Boolean), new("DATAALTERACAO", Kind.DateTime), new("ORIGEM", Kind.String, false, 20),
        ]),
        ["clientes"] = new("clientes", ["CODCLIENTE"],
        [
            new("CODCLIENTE", Kind.Integer, true), new("NOME", Kind.String, true, 100), new("NOMEFANTASIA", Kind.String, false, 100),
            new("CPFCNPJ", Kind.String, true, 14, v => Digits(v, 11, 14)), new("TIPOPESSOA", Kind.String, false, 1, v => v is "F" or "J" ? null : "deve ser F ou J"),
            new("EMAIL", Kind.String, false, 100), new("TELEFONE", Kind.String, false, 20), new("CIDADE", Kind.String, false, 60), new("UF", Kind.String, false, 2, Uf),
            new("DATANASCIMENTO", Kind.Date), new("DATAALTERACAO", Kind.DateTime), new("ORIGEM", Kind.String, false, 20),
        ]),
        ["vendas"] = new("vendas", ["CODFILIAL", "NUMERODOCUMENTO", "ITEM"],
        [
            new("CODFILIAL", Kind.Integer, true), new("NUMERODOCUMENTO", Kind.Integer, true), new("SERIE", Kind.String, false, 3),
            new("ITEM", Kind.Integer, true), new("DATAVENDA", Kind.Date, true), new("CODPRODUTO", Kind.Integer, true), new("CODCLIENTE", Kind.Integer),
            new("QUANTIDADE", Kind.Decimal, true), new("VALORUNITARIO", Kind.Decimal), new("VALORTOTAL", Kind.Decimal, true),
            new("VALORDESCONTO", Kind.Decimal), new("ORIGEM", Kind.String, false, 20),
        ]),
    };

    /// <summary>What is wrong with a record (field and why), or nothing.</summary>
    public static IEnumerable<(string Field, string Message)> Check(Entity entity, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            yield return ("", "o registro deve ser um objeto JSON");
            yield break;
        }
        foreach (var property in record.EnumerateObject())
        {
            var field = entity.Find(property.Name);
            if (field is null) { yield return (property.Name, "campo desconhecido"); continue; }
            if (property.Value.ValueKind == JsonValueKind.Null) continue;
            if (Problem(field, property.Value) is { } problem) yield return (field.Name, problem);
        }
        foreach (var field in entity.Fields.Where(f => f.Required))
            if (!record.TryGetProperty(field.Name, out var v) || v.ValueKind == JsonValueKind.Null) yield return (field.Name, "campo obrigatório");
    }

    private static string? Problem(Field field, JsonElement value) => field.Type switch
    {
        Kind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : "deve ser um número inteiro",
        Kind.Decimal => value.ValueKind == JsonValueKind.Number ? null : "deve ser um número",
        Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "deve ser true ou false",
        Kind.Date => value.ValueKind == JsonValueKind.String && DateText().IsMatch(value.GetString()!)
                     && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "deve ser uma data yyyy-MM-dd",
        Kind.DateTime => value.ValueKind == JsonValueKind.String && DateTimeText().IsMatch(value.GetString()!)
                         && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) ? null : "deve ser data e hora yyyy-MM-ddTHH:mm:ss",
        _ => value.ValueKind != JsonValueKind.String ? "deve ser um texto"
             : field.MaxLength > 0 && value.GetString()!.Length > field.MaxLength ? $"deve ter no máximo {field.MaxLength} caracteres"
             : field.Rule?.Invoke(value.GetString()!),
    };

    /// <summary>The record's key, as text: its key fields' JSON, joined.</summary>
    public static string Key(Entity entity, JsonElement record) =>
        string.Join("|", entity.Key.Select(k => record.TryGetProperty(k, out var v) ? v.GetRawText() : "null"));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateText();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$")]
    private static partial Regex DateTimeText();
}
