namespace DataSyncPS.Engine.Tests.Plusoft;

/// <summary>Mapping data as the cmdlet hands it to the engine (a .psd1's hashtables and arrays), for the
/// views of <see cref="ConsincoSample"/>. A smaller mapping than the module's default one (the module
/// tests sync with that), using each formatting option at least once.</summary>
internal static class TestMapping
{
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

    public static Dictionary<string, object?> Field(string field, string column, params (string Key, object? Value)[] options) =>
        Map([("Field", field), ("Column", column), .. options]);

    public static Dictionary<string, object?> Constant(string field, object? value) => Map(("Field", field), ("Value", value));

    public static Dictionary<string, object?> Entity(string source, object key, string? cursor, params Dictionary<string, object?>[] fields)
    {
        var entity = Map(("Source", source), ("Key", key), ("Fields", fields.Cast<object?>().ToList()));
        if (cursor is not null) entity["Cursor"] = cursor;
        return entity;
    }

    public static Dictionary<string, object?> Filiais(string prefix, string? cursor = "DTAALTERACAO") => Entity(prefix + "VW_PLUSOFT_FILIAL", "NROEMPRESA", cursor,
        Field("CODFILIAL", "NROEMPRESA"), Field("NOMEFILIAL", "NOMEREDUZIDO"), Field("CNPJ", "NROCGC", ("Format", "00000000000000")),
        Field("UF", "UF"), Field("ATIVO", "STATUS", ("Values", Map(("A", true), ("I", false)))), Field("DATAALTERACAO", "DTAALTERACAO"),
        Constant("ORIGEM", "CONSINCO"));

    public static Dictionary<string, object?> Data(string prefix) => Map(
        ("Defaults", Map(("Trim", true), ("EmptyIsNull", true))),
        ("Filiais", Filiais(prefix)),
        ("Produtos", Entity(prefix + "VW_PLUSOFT_PRODUTO", "SEQPRODUTO", "DTAHORALTERACAO",
            Field("CODPRODUTO", "SEQPRODUTO"), Field("TXTDESCRICAO", "DESCCOMPLETA"), Field("TXTDESCRICAORESUMIDA", "TXDESCRICAOREDUZIDA"),
            Field("CODEAN", "CODACESSO", ("Null", "Omit")), Field("PRECO", "PRECOVENDA", ("Decimals", 2)), Field("DATAALTERACAO", "DTAHORALTERACAO"))),
        ("Clientes", Entity(prefix + "VW_PLUSOFT_CLIENTE", "SEQPESSOA", "DTAALTERACAO",
            Field("CODCLIENTE", "SEQPESSOA"), Field("NOME", "NOMERAZAO"), Field("NOMEFANTASIA", "FANTASIA", ("Default", "(sem fantasia)")),
            Field("CPFCNPJ", "NROCGCCPF"), Field("TIPOPESSOA", "FISICAJURIDICA"), Field("DATANASCIMENTO", "DTANASCFUND", ("Format", "yyyy-MM-dd")))),
        ("Vendas", Entity(prefix + "VW_PLUSOFT_VENDA", new List<object?> { "NROEMPRESA", "NUMERODF", "SEQITEM" }, "DTAVDA",
            Field("CODFILIAL", "NROEMPRESA"), Field("NUMERODOCUMENTO", "NUMERODF"), Field("ITEM", "SEQITEM"), Field("DATAVENDA", "DTAVDA"),
            Field("CODPRODUTO", "SEQPRODUTO"), Field("CODCLIENTE", "SEQPESSOA"), Field("QUANTIDADE", "QTDITEM"),
            Field("VALORTOTAL", "VLRTOTAL", ("Decimals", 2)), Field("VALORDESCONTO", "VLRDESCONTO", ("Decimals", 2), ("Default", 0)))));
}
