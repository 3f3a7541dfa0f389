namespace DataSyncPS.Engine.Plusoft;

/// <summary>What a mapped field becomes when its value is NULL (and no Default is given).</summary>
public enum NullHandling
{
    /// <summary>JSON null.</summary>
    Null,
    /// <summary>The field is left out of the record.</summary>
    Omit,
    /// <summary>An empty string (String fields only).</summary>
    Empty,
}
