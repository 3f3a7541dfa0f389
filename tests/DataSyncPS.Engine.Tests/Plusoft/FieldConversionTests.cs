using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Plusoft;

namespace DataSyncPS.Engine.Tests.Plusoft;

/// <summary>One line per case, as the value tests do: a source value, the mapping's options, the JSON the
/// field gets.</summary>
public sealed class FieldConversionTests
{
    private static readonly TimeZoneInfo Recife = TimeZoneInfo.CreateCustomTimeZone("Recife", TimeSpan.FromHours(-3), "Recife", "Recife");

    private static FieldMapping Mapping(PlusoftFieldType type, string? format = null, int? decimals = null, NullHandling nulls = NullHandling.Null,
        object? fallback = null, bool trim = true, bool emptyIsNull = true, IReadOnlyDictionary<string, object?>? values = null, bool constant = false, object? constantValue = null) => new()
    {
        Field = new PlusoftField("F", type),
        Column = constant ? null : "C",
        IsConstant = constant,
        Constant = constantValue,
        Format = format,
        Decimals = decimals,
        Null = nulls,
        Default = fallback,
        Trim = trim,
        EmptyIsNull = emptyIsNull,
        Values = values,
        DateFormat = "yyyy-MM-dd",
        DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss",
    };

    /// <summary>The value as it lands in the record's JSON ("omitted" when left out).</summary>
    private static string Json(FieldMapping m, object? value)
    {
        var result = FieldConversion.Apply(m, value, Recife);
        if (ReferenceEquals(result, FieldConversion.Omitted)) return "omitted";
        return JsonSerializer.Serialize(result, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Fact] public void Text_is_trimmed_and_empty_text_is_null() => Assert.Equal(["\"LOJA 1\"", "null", "\"  x \""],
        [Json(Mapping(PlusoftFieldType.String), "LOJA 1   "), Json(Mapping(PlusoftFieldType.String), "   "), Json(Mapping(PlusoftFieldType.String, trim: false, emptyIsNull: false), "  x ")]);
    [Fact] public void Null_is_null_left_out_empty_or_the_default() => Assert.Equal(["null", "omitted", "\"\"", "\"n/d\"", "0"],
        [Json(Mapping(PlusoftFieldType.String), DBNull.Value), Json(Mapping(PlusoftFieldType.String, nulls: NullHandling.Omit), null),
         Json(Mapping(PlusoftFieldType.String, nulls: NullHandling.Empty), null), Json(Mapping(PlusoftFieldType.String, fallback: "n/d"), null),
         Json(Mapping(PlusoftFieldType.Integer, fallback: 0), DBNull.Value)]);
    [Fact] public void Numbers_become_text_with_a_format() => Assert.Equal("\"01234567000189\"", Json(Mapping(PlusoftFieldType.String, format: "00000000000000"), 1234567000189L));
    [Fact] public void Decimals_round_half_away_and_keep_their_places() => Assert.Equal(["10.50", "2.35", "-2.35", "3.00", "7.1"],
        [Json(Mapping(PlusoftFieldType.Decimal, decimals: 2), 10.5m), Json(Mapping(PlusoftFieldType.Decimal, decimals: 2), 2.345m),
         Json(Mapping(PlusoftFieldType.Decimal, decimals: 2), -2.345m), Json(Mapping(PlusoftFieldType.Decimal, decimals: 2), 3), Json(Mapping(PlusoftFieldType.Decimal), 7.1)]);
    [Fact] public void Exact_decimals_stay_exact() => Assert.Equal("123456789012345678.0123456789", Json(Mapping(PlusoftFieldType.Decimal), 123456789012345678.0123456789m));
    [Fact] public void Whole_numbers_come_from_integers_integral_decimals_and_digits() => Assert.Equal(["7", "8", "9"],
        [Json(Mapping(PlusoftFieldType.Integer), (short)7), Json(Mapping(PlusoftFieldType.Integer), 8.000m), Json(Mapping(PlusoftFieldType.Integer), " 9 ")]);
    [Fact] public void Booleans_come_from_codes() => Assert.Equal(["true", "false", "true", "false"],
        [Json(Mapping(PlusoftFieldType.Boolean), "S"), Json(Mapping(PlusoftFieldType.Boolean), "n"), Json(Mapping(PlusoftFieldType.Boolean), 1), Json(Mapping(PlusoftFieldType.Boolean), false)]);
    [Fact] public void Values_map_codes_after_trimming() => Assert.Equal(["true", "false"],
        [Json(Mapping(PlusoftFieldType.Boolean, values: new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["A"] = true, ["I"] = false }), "A "),
         Json(Mapping(PlusoftFieldType.Boolean, values: new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["A"] = true, ["I"] = false }), "i")]);
    [Fact] public void Constants_take_the_fields_type() => Assert.Equal("\"CONSINCO\"", Json(Mapping(PlusoftFieldType.String, constant: true, constantValue: "CONSINCO"), "ignored"));

    [Fact]
    public void Times_without_zone_are_the_sources_local_time_and_times_with_one_are_converted_to_it()
    {
        Assert.Equal("\"2024-07-15T01:00:00\"", Json(Mapping(PlusoftFieldType.DateTime), new DateTime(2024, 7, 15, 1, 0, 0)));
        Assert.Equal("\"2024-07-14T22:00:00\"", Json(Mapping(PlusoftFieldType.DateTime), new DateTime(2024, 7, 15, 1, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("\"2024-07-14\"", Json(Mapping(PlusoftFieldType.Date), new DateTimeOffset(2024, 7, 15, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal("\"2024-07-15T01:00:00-03:00\"", Json(Mapping(PlusoftFieldType.DateTime, format: "yyyy-MM-dd'T'HH:mm:sszzz"), new DateTime(2024, 7, 15, 1, 0, 0)));
        Assert.Equal("\"15/07/2024\"", Json(Mapping(PlusoftFieldType.Date, format: "dd/MM/yyyy"), new DateOnly(2024, 7, 15)));
        Assert.Equal("\"2024-07-15\"", Json(Mapping(PlusoftFieldType.Date), "2024-07-15"));
    }

    [Theory]
    [InlineData(PlusoftFieldType.Integer, "12a", "'12a' (String) cannot be F, which wants a whole number")]
    [InlineData(PlusoftFieldType.Integer, 1.5, "'1.5' (Double) cannot be F")]
    [InlineData(PlusoftFieldType.Decimal, "doze", "wants a number")]
    [InlineData(PlusoftFieldType.Boolean, "X", "true or false (S/N, 1/0, true/false; other codes need Values)")]
    [InlineData(PlusoftFieldType.Date, "amanhã", "wants a date or time")]
    public void A_value_a_field_cannot_take_names_the_column_value_and_field(PlusoftFieldType type, object value, string message)
    {
        var error = Assert.Throws<FieldValueException>(() => FieldConversion.Apply(Mapping(type), value, Recife));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("C '", error.Message);
    }

    [Fact]
    public void A_code_missing_from_Values_is_an_error_listing_the_mapped_ones()
    {
        var m = Mapping(PlusoftFieldType.Boolean, values: new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["A"] = true, ["I"] = false });
        Assert.Equal("'X' is not one of the Values mapped to F ('A', 'I')", Assert.Throws<FieldValueException>(() => FieldConversion.Apply(m, "X", Recife)).Message);
    }

    [Fact]
    public void Decimal_places_survive_the_batch_writer()
    {
        // The batch's JSON comes from Utf8JsonWriter, not JsonSerializer: the scale must survive it too.
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) w.WriteNumberValue((decimal)FieldConversion.Apply(Mapping(PlusoftFieldType.Decimal, decimals: 2), 10.5m, Recife)!);
        Assert.Equal("10.50", Encoding.UTF8.GetString(ms.ToArray()));
    }
}
