namespace DataSyncPS.Engine.Plusoft;

/// <summary>How a field's value is written in the JSON (<see cref="PlusoftContract"/>).</summary>
public enum PlusoftFieldType
{
    Integer,
    Decimal,
    String,
    Boolean,
    /// <summary>A date as text, "yyyy-MM-dd" unless the mapping gives another format.</summary>
    Date,
    /// <summary>A local date and time as text, "yyyy-MM-ddTHH:mm:ss" unless the mapping gives another format.</summary>
    DateTime,
}
