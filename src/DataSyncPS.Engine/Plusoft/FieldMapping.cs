namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// How one field of a Plusoft record is made: from a source column or a constant, then trimmed,
/// looked up, defaulted and formatted as the mapping file says (<see cref="FieldConversion"/> applies it).
/// </summary>
public sealed class FieldMapping
{
    public required PlusoftField Field { get; init; }
    /// <summary>The source column, as the mapping file names it (resolved against the view when planned).</summary>
    public string? Column { get; init; }
    /// <summary>Whether the field is a constant (<see cref="Constant"/>) rather than a column.</summary>
    public bool IsConstant { get; init; }
    public object? Constant { get; init; }
    /// <summary>Trim spaces from text (Consinco's CHAR columns are padded).</summary>
    public bool Trim { get; init; }
    /// <summary>Text that is empty (after trimming) counts as NULL.</summary>
    public bool EmptyIsNull { get; init; }
    /// <summary>A .NET format string: dates (yyyy-MM-dd...), or numbers written as text (00000000000000).</summary>
    public string? Format { get; init; }
    /// <summary>Decimal places of a Decimal field, rounded half away from zero and always written.</summary>
    public int? Decimals { get; init; }
    public NullHandling Null { get; init; }
    /// <summary>The value used when the column is NULL (converted like a column value).</summary>
    public object? Default { get; init; }
    /// <summary>Source value (as text, after trimming) to field value: A = $true, I = $false.</summary>
    public IReadOnlyDictionary<string, object?>? Values { get; init; }
    public required string DateFormat { get; init; }
    public required string DateTimeFormat { get; init; }

    public override string ToString() => IsConstant ? $"{Field.Name} = constant" : $"{Field.Name} <- {Column}";
}
