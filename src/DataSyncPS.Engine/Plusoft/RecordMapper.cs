using System.Data.Common;
using System.Text.Json;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>Turns a row of an entity's view into its Plusoft record: JSON for a batch, or a dictionary
/// for -Preview. A field whose value cannot be converted is the record's problem (the first one is
/// kept); the record is still written whole, so the batch's JSON stays valid.</summary>
internal sealed class RecordMapper
{
    private readonly PlusoftEntityPlan _plan;
    private readonly TimeZoneInfo _zone;
    private readonly JsonEncodedText[] _names;

    public RecordMapper(PlusoftEntityPlan plan, TimeZoneInfo zone)
    {
        _plan = plan;
        _zone = zone;
        _names = plan.Mapping.Fields.Select(f => JsonEncodedText.Encode(f.Field.Name, Batches.JsonTextEncoder.Instance)).ToArray();
    }

    /// <summary>Writes the row as one JSON object; returns the problem, or null.</summary>
    public string? Write(DbDataReader row, Utf8JsonWriter json)
    {
        string? problem = null;
        json.WriteStartObject();
        for (var i = 0; i < _names.Length; i++)
        {
            var value = Value(row, i, ref problem);
            if (ReferenceEquals(value, FieldConversion.Omitted)) continue;
            json.WritePropertyName(_names[i]);
            switch (value)
            {
                case null: json.WriteNullValue(); break;
                case string s: json.WriteStringValue(s); break;
                case long l: json.WriteNumberValue(l); break;
                case decimal d: json.WriteNumberValue(d); break;
                case bool b: json.WriteBooleanValue(b); break;
                default: throw new InvalidOperationException($"FieldConversion gave a {value.GetType().Name}.");
            }
        }
        json.WriteEndObject();
        return problem;
    }

    /// <summary>The row's record as field name to value (a left-out field is absent).</summary>
    public Dictionary<string, object?> ToDictionary(DbDataReader row, out string? problem)
    {
        problem = null;
        var record = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
        {
            var value = Value(row, i, ref problem);
            if (!ReferenceEquals(value, FieldConversion.Omitted)) record[_plan.Mapping.Fields[i].Field.Name] = value;
        }
        return record;
    }

    /// <summary>The row's keyset values (cursor first), as the provider types them: the watermark.</summary>
    public object[] Key(DbDataReader row)
    {
        var ordinals = _plan.KeysetOrdinals;
        var key = new object[ordinals.Count];
        for (var i = 0; i < key.Length; i++) key[i] = row.GetValue(ordinals[i]);
        if (key[0] is DBNull)
            throw new SyncException(SyncErrorKind.QueryFailed,
                $"{_plan.Query.KeysetColumns[0]} is NULL in a row of '{_plan.Mapping.Source}' ({_plan.Entity.Name}); the keyset needs a value in every row " +
                "(give the view a COALESCE, or map the entity without Cursor).", target: _plan.Mapping.Source);
        return key;
    }

    private object? Value(DbDataReader row, int i, ref string? problem)
    {
        var mapping = _plan.Mapping.Fields[i];
        var ordinal = _plan.FieldOrdinals[i];
        try
        {
            return FieldConversion.Apply(mapping, ordinal < 0 ? null : row.GetValue(ordinal), _zone);
        }
        catch (FieldValueException ex)
        {
            problem ??= ex.Message;
            return null;
        }
    }
}
