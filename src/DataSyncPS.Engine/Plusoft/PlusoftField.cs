namespace DataSyncPS.Engine.Plusoft;

/// <summary>A field of a Plusoft entity's records.</summary>
public sealed record PlusoftField(string Name, PlusoftFieldType Type, bool Required = false, int? MaxLength = null);
