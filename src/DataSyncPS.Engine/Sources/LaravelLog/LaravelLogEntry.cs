using System.Text.Json;
using DataSyncPS.Engine.Batches;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// One log entry as exported. JSONL shape (one object per line, fields always present):
/// <code>
/// {"timestamp":"2024-01-02T10:00:00.123456+00:00","environment":"production","level":"ERROR",
///  "message":"...","context":{...}|null,"extra":{...}|[...]|null,"stack":"#0 ...|null",
///  "file":"laravel.log","offset":12345}
/// </code>
/// </summary>
public sealed class LaravelLogEntry
{
    /// <summary>ISO 8601 with offset; a log time without offset is taken in the source's time zone.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    public required string Environment { get; init; }
    public required string Level { get; init; }
    /// <summary>The message without its trailing context/extra and, for the old format, without its
    /// "Stack trace:" block; trailing whitespace removed, otherwise exactly as written (CR, LF, non-ASCII).</summary>
    public required string Message { get; init; }
    /// <summary>The trailing context as JSON; null when there is none or it does not parse (its text then stays in <see cref="Message"/>).</summary>
    public JsonElement? Context { get; init; }
    /// <summary>Monolog's extra (processors' output) as JSON, when written.</summary>
    public JsonElement? Extra { get; init; }
    /// <summary>The frames after "Stack trace:" (old format, chained "Next exception" blocks included) or
    /// after "[stacktrace]" in the context's exception (new format); null when there is no trace.</summary>
    public string? Stack { get; init; }
    /// <summary>File name (no folder) the entry was read from.</summary>
    public required string File { get; init; }
    /// <summary>Byte offset of the entry's first byte in <see cref="File"/>.</summary>
    public required long Offset { get; init; }
    /// <summary>1-based line of the entry's header in <see cref="File"/> (for messages; not exported).</summary>
    public long Line { get; init; }

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("timestamp");
        JsonValueWriter.WriteTimestampOffset(w, Timestamp);
        w.WriteString("environment", Environment);
        w.WriteString("level", Level);
        w.WriteString("message", Message);
        WriteJson(w, "context", Context);
        WriteJson(w, "extra", Extra);
        if (Stack is null) w.WriteNull("stack");
        else w.WriteString("stack", Stack);
        w.WriteString("file", File);
        w.WriteNumber("offset", Offset);
        w.WriteEndObject();
    }

    private static void WriteJson(Utf8JsonWriter w, string name, JsonElement? value)
    {
        w.WritePropertyName(name);
        if (value is { } v) v.WriteTo(w);
        else w.WriteNullValue();
    }
}
