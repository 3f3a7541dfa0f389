namespace DataSyncPS.Engine.Plusoft;

/// <summary>A Plusoft entity: its name (as -Entity and mapping files say it), its endpoint's path, the
/// fields that identify a record (the API upserts by them) and every field it takes.</summary>
public sealed record PlusoftEntity(string Name, string Path, IReadOnlyList<string> KeyFields, IReadOnlyList<PlusoftField> Fields)
{
    public PlusoftField? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}
