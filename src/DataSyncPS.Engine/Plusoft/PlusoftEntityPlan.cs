using DataSyncPS.Engine.Export;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>An entity's mapping resolved against its source view: the keyset SQL (the export's own
/// <see cref="SqlExportPlan"/>, reading only the columns the mapping uses) and where each field's
/// column and each keyset column sit in a row.</summary>
public sealed class PlusoftEntityPlan
{
    internal PlusoftEntityPlan() { }

    public required EntityMapping Mapping { get; init; }
    public required SqlExportPlan Query { get; init; }
    /// <summary>Per field of <see cref="EntityMapping.Fields"/>: its column's ordinal in a row, -1 for a constant.</summary>
    public required IReadOnlyList<int> FieldOrdinals { get; init; }
    public required IReadOnlyList<int> KeysetOrdinals { get; init; }

    public PlusoftEntity Entity => Mapping.Entity;

    /// <summary>How the entity is synced, for messages: "incremental by DTAALTERACAO" or "whole view, by key".</summary>
    public string Mode => Mapping.IsIncremental ? $"incremental by {Query.KeysetColumns[0]}" : "the whole view each run, by key";

    /// <summary>The days a run reads again before the watermark: <paramref name="requested"/> (-LookbackDays)
    /// when given, else the mapping's; none for an entity sent whole.</summary>
    public int LookbackDays(int? requested) => Mapping.IsIncremental ? requested ?? Mapping.LookbackDays : 0;

    /// <summary>How a run reads the entity, look-back included, for -WhatIf and -Confirm.</summary>
    public string Describe(int? requestedLookback) => LookbackDays(requestedLookback) is > 0 and var days
        ? $"{Mode}, from {days} day(s) before the last run's {Query.KeysetColumns[0]}"
        : Mode;
}
