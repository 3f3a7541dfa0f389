namespace DataSyncPS.Engine.Plusoft;

/// <summary>Where an entity's records come from (a view or table of the source) and how each field is
/// made. With a <see cref="CursorColumn"/> (a change date, the sale's date) the entity is synced
/// incrementally on (cursor, key...); without one every run sends the whole view, resuming by key
/// after a crash.</summary>
public sealed class EntityMapping
{
    public required PlusoftEntity Entity { get; init; }
    /// <summary>The view or table, schema-qualified or not, as the source names it.</summary>
    public required string Source { get; init; }
    /// <summary>Columns that identify a row of the view (its keyset after the cursor).</summary>
    public required IReadOnlyList<string> KeyColumns { get; init; }
    public string? CursorColumn { get; init; }
    /// <summary>Days before the watermark's cursor that each run reads again, for rows posted late (a store
    /// that closes its till the next morning); 0: none. Only with a <see cref="CursorColumn"/>.</summary>
    public int LookbackDays { get; init; }
    public const int MaxLookbackDays = 366;
    public required IReadOnlyList<FieldMapping> Fields { get; init; }

    public bool IsIncremental => CursorColumn is not null;

    /// <summary>Every source column the entity reads: the mapped ones, then key and cursor.</summary>
    public IEnumerable<string> Columns =>
        Fields.Where(f => f.Column is not null).Select(f => f.Column!)
            .Concat(KeyColumns).Concat(CursorColumn is null ? [] : [CursorColumn])
            .Distinct(StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{Entity.Name} <- {Source}";
}
