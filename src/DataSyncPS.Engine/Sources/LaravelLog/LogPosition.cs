using System.Text.Json;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// The watermark of a Laravel log stream: for each file read so far, its identity and the offset to
/// continue from. Stored as JSON, for example
/// <c>{"files":[{"name":"laravel-2024-01-01.log","id":"9f2c...","idBytes":256,"offset":10240,"line":311}]}</c>.
/// Only files still present are kept, so it stays as small as the log folder.
/// </summary>
public sealed class LogPosition
{
    public static readonly LogPosition Empty = new([]);

    public LogPosition(IReadOnlyList<LogFileMark> files) => Files = files;

    public IReadOnlyList<LogFileMark> Files { get; }

    public string Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("files");
            foreach (var f in Files)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("id", f.Identity.Hash);
                w.WriteNumber("idBytes", f.Identity.Length);
                w.WriteNumber("offset", f.Offset);
                w.WriteNumber("line", f.Line);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Reads a stored position; null or empty gives <see cref="Empty"/>.</summary>
    public static LogPosition Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Empty;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var files = new List<LogFileMark>();
            foreach (var e in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                var identity = new LogFileIdentity(e.GetProperty("id").GetString()!, e.GetProperty("idBytes").GetInt32());
                files.Add(new LogFileMark(e.GetProperty("name").GetString()!, identity,
                    e.GetProperty("offset").GetInt64(), e.GetProperty("line").GetInt64()));
            }
            return new LogPosition(files);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SyncException(SyncErrorKind.StateStoreFailed,
                $"The stored position of this log stream is not a Laravel log position ({ex.Message}); reset the stream to start over.", ex);
        }
    }

    public override string ToString() => string.Join(", ", Files.Select(f => $"{f.Name}@{f.Offset}"));
}
