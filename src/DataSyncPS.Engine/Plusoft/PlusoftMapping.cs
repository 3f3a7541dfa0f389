namespace DataSyncPS.Engine.Plusoft;

/// <summary>A mapping file as read (<see cref="PlusoftMappingReader"/>): the entities it maps, in the
/// contract's safe order, and where it came from (for messages).</summary>
public sealed class PlusoftMapping
{
    public required string Origin { get; init; }
    public required IReadOnlyList<EntityMapping> Entities { get; init; }

    /// <summary>The mapping of the entities asked for (null: every entity the file maps), in the safe
    /// order whatever order they were asked in.</summary>
    public IReadOnlyList<EntityMapping> Select(IEnumerable<string>? names)
    {
        if (names is null) return Entities;
        var wanted = names.Select(n => PlusoftContract.Entity(n).Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = wanted.Where(w => Entities.All(e => !string.Equals(e.Entity.Name, w, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count > 0)
            throw new SyncException(SyncErrorKind.MappingInvalid,
                $"The mapping '{Origin}' does not map {string.Join(", ", missing)} (it maps {string.Join(", ", Entities.Select(e => e.Entity.Name))}).", target: Origin);
        return Entities.Where(e => wanted.Contains(e.Entity.Name)).ToList();
    }
}
