using DataSyncPS.Engine.Plusoft;
using static DataSyncPS.Engine.Tests.Plusoft.TestMapping;

namespace DataSyncPS.Engine.Tests.Plusoft;

/// <summary>A mapping file's mistakes are MappingInvalid before anything is read or sent, each naming
/// the file, the entity and the field.</summary>
public sealed class MappingReaderTests
{
    private static SyncException Invalid(Dictionary<string, object?> data)
    {
        var error = Assert.Throws<SyncException>(() => PlusoftMappingReader.Read(data, "m.psd1"));
        Assert.Equal(SyncErrorKind.MappingInvalid, error.Kind);
        Assert.StartsWith("Mapping 'm.psd1'", error.Message.Replace("The mapping 'm.psd1'", "Mapping 'm.psd1'"));
        return error;
    }

    private static Dictionary<string, object?> WithFiliaisField(params Dictionary<string, object?>[] extra)
    {
        var filiais = Filiais("p_");
        ((List<object?>)filiais["Fields"]!).AddRange(extra);
        return Map(("Filiais", filiais));
    }

    [Fact]
    public void A_mapping_reads_into_entities_in_the_safe_order_with_defaults_applied()
    {
        var mapping = PlusoftMappingReader.Read(Data("p_"), "m.psd1");
        Assert.Equal(["Filiais", "Produtos", "Clientes", "Vendas"], mapping.Entities.Select(e => e.Entity.Name));
        var vendas = mapping.Entities[3];
        Assert.Equal(("p_VW_PLUSOFT_VENDA", "DTAVDA"), (vendas.Source, vendas.CursorColumn));
        Assert.Equal(["NROEMPRESA", "NUMERODF", "SEQITEM"], vendas.KeyColumns);
        var desconto = vendas.Fields.Single(f => f.Field.Name == "VALORDESCONTO");
        Assert.Equal((2, 0, true, "yyyy-MM-dd"), (desconto.Decimals, desconto.Default, desconto.Trim, desconto.DateFormat));
        Assert.Equal(["Filiais", "Vendas"], mapping.Select(["vendas", "FILIAIS"]).Select(e => e.Entity.Name));
        var ativo = mapping.Entities[0].Fields.Single(f => f.Field.Name == "ATIVO");
        Assert.Equal(false, ativo.Values!["i"]);
    }

    [Fact]
    public void LookbackDays_is_read_per_entity_and_needs_a_cursor()
    {
        Assert.Equal(0, PlusoftMappingReader.Read(Data("p_"), "m.psd1").Entities[3].LookbackDays);
        var filiais = Filiais("p_");
        filiais["LookbackDays"] = 2;
        Assert.Equal(2, PlusoftMappingReader.Read(Map(("Filiais", filiais)), "m.psd1").Entities[0].LookbackDays);
        filiais["LookbackDays"] = -1;
        Assert.Contains("Filiais has LookbackDays outside 0 to 366", Invalid(Map(("Filiais", filiais))).Message);
        filiais["LookbackDays"] = "1d";
        Assert.Contains("LookbackDays must be a whole number", Invalid(Map(("Filiais", filiais))).Message);
        var whole = Filiais("p_", cursor: null);
        whole["LookbackDays"] = 1;
        Assert.Contains("Filiais has LookbackDays but no Cursor", Invalid(Map(("Filiais", whole))).Message);
    }

    [Fact]
    public void A_required_field_left_unmapped_is_named()
    {
        var produtos = Entity("p_VW_PLUSOFT_PRODUTO", "SEQPRODUTO", null, Field("CODPRODUTO", "SEQPRODUTO"));
        var error = Invalid(Map(("Produtos", produtos)));
        Assert.Contains("Produtos leaves the field(s) TXTDESCRICAO unmapped, and Plusoft requires them", error.Message);
    }

    [Fact]
    public void Unknown_entities_fields_and_options_are_named_with_what_is_known()
    {
        Assert.Contains("unknown entry 'Pedidos' (known: Defaults, Filiais, Produtos, Clientes, Vendas)", Invalid(Map(("Pedidos", Map()))).Message);
        Assert.Contains("'NOMEFILAL' is not a field of Plusoft Filiais", Invalid(WithFiliaisField(Field("NOMEFILAL", "X"))).Message);
        Assert.Contains("Filiais field CIDADE has an unknown entry 'Formt'", Invalid(WithFiliaisField(Field("CIDADE", "CIDADE", ("Formt", "x")))).Message);
        Assert.Contains("Filiais field UF is mapped twice", Invalid(WithFiliaisField(Field("UF", "UF"))).Message);
        var filiais = Filiais("p_");
        filiais.Remove("Key");
        Assert.Contains("Filiais has no Key", Invalid(Map(("Filiais", filiais))).Message);
        Assert.Contains("maps no entity", Invalid(Map(("Defaults", Map()))).Message);
        Assert.Contains("does not map Vendas", Assert.Throws<SyncException>(() => PlusoftMappingReader.Read(Map(("Filiais", Filiais("p_"))), "m.psd1").Select(["Vendas"])).Message);
    }

    [Fact]
    public void Options_that_do_not_fit_their_field_are_refused()
    {
        Assert.Contains("needs a Column (a column of the Source) or a Value", Invalid(WithFiliaisField(Map(("Field", "CIDADE")))).Message);
        Assert.Contains("has both a Column and a Value", Invalid(WithFiliaisField(Field("CIDADE", "CIDADE", ("Value", "Recife")))).Message);
        Assert.Contains("has Decimals, but CODFILIAL", Invalid(Map(("Filiais", Entity("v", "K", null, Field("CODFILIAL", "K", ("Decimals", 2)), Field("NOMEFILIAL", "N"), Field("CNPJ", "C"))))).Message);
        Assert.Contains("has a Format, but ATIVO is a Boolean field", Invalid(Map(("Filiais", Entity("v", "K", null, Field("CODFILIAL", "K"), Field("NOMEFILIAL", "N"),
            Field("CNPJ", "C"), Field("ATIVO", "S", ("Format", "0")))))).Message);
        Assert.Contains("has Null = 'Omit', but Plusoft requires NOMEFILIAL",
            Invalid(Map(("Filiais", Entity("v", "K", null, Field("CODFILIAL", "K"), Field("NOMEFILIAL", "N", ("Null", "Omit")), Field("CNPJ", "C"))))).Message);
        Assert.Contains("Null must be one of 'Null', 'Omit', 'Empty'", Invalid(WithFiliaisField(Field("CIDADE", "CIDADE", ("Null", "Nada")))).Message);
        Assert.Contains("has Null = 'Empty', but DATAALTERACAO", Invalid(Map(("Filiais", Entity("v", "K", null, Field("CODFILIAL", "K"), Field("NOMEFILIAL", "N"),
            Field("CNPJ", "C"), Field("DATAALTERACAO", "D", ("Null", "Empty")))))).Message);
        Assert.Contains("Trim must be $true or $false", Invalid(WithFiliaisField(Field("CIDADE", "CIDADE", ("Trim", "yes")))).Message);
        Assert.Contains("formats neither a date nor a number", Invalid(WithFiliaisField(Field("CIDADE", "CIDADE", ("Format", "Q")))).Message);
        Assert.Contains("DateFormat 'Q' is not a date format", Invalid(Map(("Defaults", Map(("DateFormat", "Q"))), ("Filiais", Filiais("p_")))).Message);
    }
}
