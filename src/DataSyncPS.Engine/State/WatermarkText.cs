using DataSyncPS.Engine.Sources.LaravelLog;

namespace DataSyncPS.Engine.State;

/// <summary>A stored watermark as an admin reads it: the keyset values of a table stream, or the files
/// and offsets of a log stream.</summary>
internal static class WatermarkText
{
    public static string Display(string stored)
    {
        try
        {
            var text = stored.TrimStart();
            if (text.StartsWith('[')) return "(" + Watermark.Parse(stored) + ")";
            if (text.StartsWith('{')) return LogPosition.Parse(stored).ToString();
        }
        catch (Exception ex) when (ex is SyncException or System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            // Shown as stored: Get-SyncState must still list a stream whose position it cannot read.
        }
        return stored;
    }
}
