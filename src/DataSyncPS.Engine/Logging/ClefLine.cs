using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataSyncPS.Engine.Logging;

/// <summary>An event as one line of CLEF (Compact Log Event Format, what Seq ingests): @t in UTC,
/// @l, @m (already rendered), then the fields by name. DurationMs is the duration in milliseconds.</summary>
public static class ClefLine
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(SyncLogEvent e)
    {
        using var buffer = new MemoryStream(256);
        Write(e, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the event and a '\n'.</summary>
    public static void Write(SyncLogEvent e, Stream output)
    {
        using (var w = new Utf8JsonWriter(output, Options))
        {
            w.WriteStartObject();
            w.WriteString("@t", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("@l", e.Level.ToString());
            w.WriteString("@m", e.Message);
            if (e.Cmdlet is not null) w.WriteString("Cmdlet", e.Cmdlet);
            if (e.RunId is not null) w.WriteString("RunId", e.RunId);
            if (e.Stream is not null) w.WriteString("Stream", e.Stream);
            if (e.Rows is { } rows) w.WriteNumber("Rows", rows);
            if (e.Batches is { } batches) w.WriteNumber("Batches", batches);
            if (e.Bytes is { } bytes) w.WriteNumber("Bytes", bytes);
            if (e.Duration is { } d) w.WriteNumber("DurationMs", Math.Round(d.TotalMilliseconds, 1));
            if (e.ErrorId is not null) w.WriteString("ErrorId", e.ErrorId);
            foreach (var (name, value) in e.Properties ?? new Dictionary<string, object?>())
            {
                if (name.StartsWith('@')) continue; // reserved by CLEF
                w.WritePropertyName(name);
                WriteValue(w, value);
            }
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                w.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
            case double or float or decimal: w.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
            case TimeSpan t: w.WriteNumberValue(Math.Round(t.TotalMilliseconds, 1)); break;
            case DateTimeOffset o: w.WriteStringValue(o.ToString("o", CultureInfo.InvariantCulture)); break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
