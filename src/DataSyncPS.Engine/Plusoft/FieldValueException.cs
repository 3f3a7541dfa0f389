namespace DataSyncPS.Engine.Plusoft;

/// <summary>A source value a mapped field cannot take (text where a number is wanted, an unmapped code).</summary>
public sealed class FieldValueException(string message) : Exception(message);
