using System.Globalization;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// Reads a mapping file's data (hashtables, arrays and values, as a .psd1 holds them; the cmdlet parses
/// the file) into a <see cref="PlusoftMapping"/>, checking everything that can be checked without the
/// source: entity and option names, fields the API has, fields it requires, formats. Every problem is
/// MappingInvalid, naming the file, the entity and the field. Columns are checked against the source
/// when the sync is planned (<see cref="PlusoftPlanner"/>).
/// <code>
/// @{
///     Defaults = @{ Trim = $true; EmptyIsNull = $true; Null = 'Null'; DateFormat = 'yyyy-MM-dd'; DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss" }
///     Produtos = @{
///         Source = 'CONSINCO.VW_PLUSOFT_PRODUTO'   # the view (or table)
///         Key    = 'SEQPRODUTO'                    # what identifies a row; one column or several
///         Cursor = 'DTAHORALTERACAO'               # optional: synced incrementally by this change date
///         LookbackDays = 1                         # optional, with a Cursor: re-read the days before the watermark
///         Fields = @(
///             @{ Field = 'CODPRODUTO'; Column = 'SEQPRODUTO' }
///             @{ Field = 'TXTDESCRICAORESUMIDA'; Column = 'TXDESCRICAOREDUZIDA'; Trim = $true }
///             @{ Field = 'PRECO'; Column = 'PRECOVENDA'; Decimals = 2 }
///             @{ Field = 'ATIVO'; Column = 'STATUSVENDA'; Values = @{ A = $true; I = $false } }
///             @{ Field = 'ORIGEM'; Value = 'CONSINCO' }
///         )
///     }
/// }
/// </code>
/// </summary>
public static class PlusoftMappingReader
{
    private static readonly string[] DefaultsOptions = ["Trim", "EmptyIsNull", "Null", "DateFormat", "DateTimeFormat"];
    private static readonly string[] EntityOptions = ["Source", "Key", "Cursor", "LookbackDays", "Fields"];
    private static readonly string[] FieldOptions = ["Field", "Column", "Value", "Trim", "EmptyIsNull", "Format", "Decimals", "Null", "Default", "Values"];

    public static PlusoftMapping Read(IReadOnlyDictionary<string, object?> data, string origin)
    {
        var top = new Section(data, origin, "the file");
        top.RequireKnown(["Defaults", .. PlusoftContract.Entities.Select(e => e.Name)]);
        var defaults = top.Child("Defaults") ?? new Section(new Dictionary<string, object?>(), origin, "Defaults");
        defaults.RequireKnown(DefaultsOptions);
        var fallback = new FieldDefaults(
            defaults.Bool("Trim") ?? true,
            defaults.Bool("EmptyIsNull") ?? false,
            defaults.Enum<NullHandling>("Null") ?? NullHandling.Null,
            CheckedDateFormat(defaults, "DateFormat") ?? "yyyy-MM-dd",
            CheckedDateFormat(defaults, "DateTimeFormat") ?? "yyyy-MM-dd'T'HH:mm:ss");

        var entities = new List<EntityMapping>();
        foreach (var entity in PlusoftContract.Entities)
        {
            if (top.Child(entity.Name) is not { } section) continue;
            entities.Add(ReadEntity(entity, section, fallback));
        }
        if (entities.Count == 0)
            throw new SyncException(SyncErrorKind.MappingInvalid,
                $"The mapping '{origin}' maps no entity: give one or more of {string.Join(", ", PlusoftContract.Entities.Select(e => e.Name))}.", target: origin);
        return new PlusoftMapping { Origin = origin, Entities = entities };
    }

    private sealed record FieldDefaults(bool Trim, bool EmptyIsNull, NullHandling Null, string DateFormat, string DateTimeFormat);

    private static EntityMapping ReadEntity(PlusoftEntity entity, Section section, FieldDefaults defaults)
    {
        section.RequireKnown(EntityOptions);
        var source = section.String("Source") ?? throw section.Invalid("has no Source (the view or table its rows come from)");
        var keys = section.Strings("Key") ?? throw section.Invalid("has no Key (the column or columns that identify a row of its Source)");
        var cursor = section.String("Cursor");
        var lookback = section.Int("LookbackDays") ?? 0;
        if (lookback is < 0 or > EntityMapping.MaxLookbackDays)
            throw section.Invalid($"has LookbackDays outside 0 to {EntityMapping.MaxLookbackDays}");
        if (lookback > 0 && cursor is null)
            throw section.Invalid("has LookbackDays but no Cursor; without a Cursor the whole view is sent each run");
        var list = section.List("Fields") ?? throw section.Invalid("has no Fields");

        var fields = new List<FieldMapping>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not IReadOnlyDictionary<string, object?> item)
                throw section.Invalid($"Fields[{i}] is not a hashtable (@{{ Field = '...'; Column = '...' }})");
            var name = new Section(item, section.Origin, $"{entity.Name} Fields[{i}]").String("Field")
                ?? throw section.Invalid($"Fields[{i}] has no Field (the Plusoft field it fills)");
            var field = entity.Field(name) ?? throw section.Invalid(
                $"Fields[{i}]: '{name}' is not a field of Plusoft {entity.Name} (its fields: {string.Join(", ", entity.Fields.Select(f => f.Name))})");
            var at = new Section(item, section.Origin, $"{entity.Name} field {field.Name}");
            if (fields.Any(f => f.Field == field)) throw at.Invalid("is mapped twice");
            fields.Add(ReadField(field, at, defaults));
        }
        var unmapped = entity.Fields.Where(f => f.Required && fields.All(m => m.Field != f)).Select(f => f.Name).ToList();
        if (unmapped.Count > 0)
            throw section.Invalid($"leaves the field(s) {string.Join(", ", unmapped)} unmapped, and Plusoft requires them");
        return new EntityMapping { Entity = entity, Source = source, KeyColumns = keys, CursorColumn = cursor, LookbackDays = lookback, Fields = fields };
    }

    private static FieldMapping ReadField(PlusoftField field, Section at, FieldDefaults defaults)
    {
        at.RequireKnown(FieldOptions);
        var column = at.String("Column");
        var isConstant = at.Has("Value");
        if ((column is null) == !isConstant)
            throw at.Invalid(column is null ? "needs a Column (a column of the Source) or a Value (a constant)" : "has both a Column and a Value; give one");
        var type = field.Type;
        var decimals = at.Int("Decimals");
        if (decimals is not null && (type != PlusoftFieldType.Decimal || decimals is < 0 or > 10))
            throw at.Invalid(type != PlusoftFieldType.Decimal ? $"has Decimals, but {field.Name} is {Article(type)} field" : "has Decimals outside 0 to 10");
        var format = at.String("Format");
        if (format is not null)
        {
            if (type is PlusoftFieldType.Integer or PlusoftFieldType.Decimal or PlusoftFieldType.Boolean)
                throw at.Invalid($"has a Format, but {field.Name} is {Article(type)} field (Format is for dates and text)");
            if (!FormatsSomething(format)) throw at.Invalid($"has a Format '{format}' that formats neither a date nor a number");
        }
        var nulls = at.Enum<NullHandling>("Null") ?? defaults.Null;
        if (nulls == NullHandling.Empty && type != PlusoftFieldType.String)
            throw at.Invalid($"has Null = 'Empty', but {field.Name} is {Article(type)} field (an empty string is for text)");
        if (nulls == NullHandling.Omit && field.Required)
            throw at.Invalid($"has Null = 'Omit', but Plusoft requires {field.Name}");
        var values = at.Child("Values");
        return new FieldMapping
        {
            Field = field,
            Column = column,
            IsConstant = isConstant,
            Constant = isConstant ? at.Value("Value") : null,
            Trim = at.Bool("Trim") ?? defaults.Trim,
            EmptyIsNull = at.Bool("EmptyIsNull") ?? defaults.EmptyIsNull,
            Format = format,
            Decimals = decimals,
            Null = nulls,
            Default = at.Value("Default"),
            Values = values?.Data.ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase),
            DateFormat = defaults.DateFormat,
            DateTimeFormat = defaults.DateTimeFormat,
        };
    }

    private static string Article(PlusoftFieldType type) => type is PlusoftFieldType.Integer ? "an Integer" : "a " + type;

    private static string? CheckedDateFormat(Section section, string name)
    {
        var format = section.String(name);
        if (format is not null && !FormatsSomething(format)) throw section.Invalid($"{name} '{format}' is not a date format");
        return format;
    }

    /// <summary>Whether .NET can format a date or a number with it (an unknown one-letter standard format cannot).</summary>
    private static bool FormatsSomething(string format)
    {
        try { _ = new DateTime(2024, 1, 31, 13, 5, 9).ToString(format, CultureInfo.InvariantCulture); return true; }
        catch (FormatException) { }
        try { _ = 12.5m.ToString(format, CultureInfo.InvariantCulture); return true; }
        catch (FormatException) { return false; }
    }

    /// <summary>A hashtable of the file, with where it is (for messages) and typed reads of its options.</summary>
    private sealed class Section(IReadOnlyDictionary<string, object?> data, string origin, string where)
    {
        public IReadOnlyDictionary<string, object?> Data { get; } = data;
        public string Origin { get; } = origin;

        public SyncException Invalid(string problem) =>
            new(SyncErrorKind.MappingInvalid, $"Mapping '{Origin}': {where} {problem}.", target: Origin);

        public void RequireKnown(IReadOnlyList<string> known)
        {
            foreach (var key in Data.Keys)
                if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
                    throw Invalid($"has an unknown entry '{key}' (known: {string.Join(", ", known)})");
        }

        public bool Has(string name) => Find(name, out _);

        public object? Value(string name) => Find(name, out var v) ? v : null;

        public string? String(string name) => Value(name) switch
        {
            null => null,
            string s when s.Trim().Length > 0 => s.Trim(),
            _ => throw Invalid($"{name} must be a non-empty string"),
        };

        public IReadOnlyList<string>? Strings(string name) => Value(name) switch
        {
            null => null,
            string => [String(name)!],
            IReadOnlyList<object?> list when list.Count > 0 && list.All(i => i is string s && s.Trim().Length > 0) => list.Select(i => ((string)i!).Trim()).ToList(),
            _ => throw Invalid($"{name} must be a column name or an array of them"),
        };

        public bool? Bool(string name) => Value(name) switch
        {
            null => null,
            bool b => b,
            _ => throw Invalid($"{name} must be $true or $false"),
        };

        public int? Int(string name) => Value(name) switch
        {
            null => null,
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            _ => throw Invalid($"{name} must be a whole number"),
        };

        public T? Enum<T>(string name) where T : struct, System.Enum => Value(name) switch
        {
            null => null,
            string s when System.Enum.TryParse<T>(s.Trim(), ignoreCase: true, out var v) && !int.TryParse(s, out _) => v,
            _ => throw Invalid($"{name} must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => $"'{n}'"))}"),
        };

        public IReadOnlyList<object?>? List(string name) => Value(name) switch
        {
            null => null,
            IReadOnlyList<object?> list => list,
            IReadOnlyDictionary<string, object?> one => [one], // @( @{...} ) of one item, as PowerShell unrolls it
            _ => throw Invalid($"{name} must be an array"),
        };

        public Section? Child(string name) => Value(name) switch
        {
            null => null,
            IReadOnlyDictionary<string, object?> d => new Section(d, Origin, name),
            _ => throw Invalid($"{name} must be a hashtable (@{{ ... }})"),
        };

        private bool Find(string name, out object? value)
        {
            foreach (var (key, v) in Data)
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
            value = null;
            return false;
        }
    }
}
