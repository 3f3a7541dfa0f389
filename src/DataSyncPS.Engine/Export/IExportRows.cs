using System.Text.Json;

namespace DataSyncPS.Engine.Export;

/// <summary>The rows of one statement as an export consumes them: each written as one JSON object, and
/// the keyset columns read back as values for the watermark.</summary>
internal interface IExportRows : IDisposable
{
    bool Read();

    /// <summary>Writes the current row as one JSON object (DESIGN contract 3).</summary>
    void WriteRow(Utf8JsonWriter writer);

    int GetOrdinal(string column);

    /// <summary>The current row's value of a keyset column, typed as the provider's data reader types it
    /// (the watermark stores and binds it back); DBNull for NULL.</summary>
    object GetValue(int ordinal);
}
