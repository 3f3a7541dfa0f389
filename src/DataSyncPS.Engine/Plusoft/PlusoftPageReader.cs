using System.Buffers;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// Reads an entity's view a batch at a time and maps each row into the batch's JSON array: one keyset
/// query per batch (rows after the last batch's key, LIMIT the batch size, never OFFSET), read to its
/// end before the batch is handed over, so no cursor stays open on the server while a batch waits for
/// the API (MariaDB drops a client that stops reading for net_write_timeout). Synchronous: it runs on
/// a thread of its own, beside the sends.
/// </summary>
internal sealed class PlusoftPageReader(DbConnection connection, PlusoftEntityPlan plan, TimeZoneInfo zone, Action<string> verbose, CancellationToken ct)
{
    private readonly RecordMapper _mapper = new(plan, zone);
    private static readonly JsonWriterOptions Json = new() { Encoder = Batches.JsonTextEncoder.Instance, SkipValidation = true };
    private readonly HashSet<string> _shown = [];

    /// <summary>The next batch after <paramref name="after"/> (from the start when null), at most
    /// <paramref name="limit"/> rows; empty at the end of the view. With <paramref name="lookbackStart"/>,
    /// the first batch of a look-back: rows whose cursor is at or after it (<see cref="LookbackWindow"/>).</summary>
    public PlusoftBatch ReadPage(Watermark? after, object? lookbackStart, int limit, ArrayBufferWriter<byte> buffer) =>
        Read(plan.Query.PageSelect(after is not null, lookbackStart is not null, limit, plan.Query.Dialect.ParameterName),
            lookbackStart is not null ? [lookbackStart] : after?.Values.ToArray<object?>() ?? [], buffer);

    /// <summary>The rows from one key to another, both included (a rejected batch read again).</summary>
    public PlusoftBatch ReadRange(Watermark first, Watermark last, ArrayBufferWriter<byte> buffer) =>
        Read(plan.Query.RangeSelect(), [.. first.Values, .. last.Values], buffer);

    private PlusoftBatch Read(string sql, IReadOnlyList<object?> values, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var keys = new List<object[]>();
        var problems = new List<(int, string)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = sql;
            for (var i = 0; i < values.Count; i++) plan.Query.Dialect.AddParameter(cmd, i, values[i]);
            // Each statement once: a sync of a million rows runs a thousand of them.
            if (_shown.Add(sql))
                verbose($"SQL ({plan.Entity.Name}, one query per batch): {sql}" + (values.Count == 0 ? "" : $"  -- ({string.Join(", ", values.Select(Watermark.Display))})"));
            using var cancel = ct.Register(() => { try { cmd.Cancel(); } catch (Exception) { /* the read sees the cancellation */ } });
            using var reader = cmd.ExecuteReader();
            using var json = new Utf8JsonWriter(buffer, Json);
            json.WriteStartArray();
            while (reader.Read())
            {
                if (_mapper.Write(reader, json) is { } problem) problems.Add((keys.Count, problem));
                keys.Add(_mapper.Key(reader));
            }
            json.WriteEndArray();
            json.Flush();
        }
        ct.ThrowIfCancellationRequested();
        return new PlusoftBatch
        {
            Buffer = buffer,
            Keys = keys,
            Problems = problems,
            Sha256 = Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan)).ToLowerInvariant(),
        };
    }

    /// <summary>-Preview: rows <paramref name="skip"/>+1 to <paramref name="skip"/>+<paramref name="first"/>
    /// of the view in keyset order, mapped; a record that cannot be mapped comes with its problem.</summary>
    public IEnumerable<(Dictionary<string, object?> Record, object[] Key, string? Problem)> Preview(int skip, int first)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = plan.Query.PageSelect(false, false, checked(skip + first));
        verbose($"SQL ({plan.Entity.Name}): {cmd.CommandText}");
        using var cancel = ct.Register(() => { try { cmd.Cancel(); } catch (Exception) { /* the read sees the cancellation */ } });
        using var reader = cmd.ExecuteReader();
        for (var n = 0; reader.Read(); n++)
        {
            ct.ThrowIfCancellationRequested();
            if (n < skip) continue;
            var record = _mapper.ToDictionary(reader, out var problem);
            yield return (record, _mapper.Key(reader), problem);
        }
    }
}
