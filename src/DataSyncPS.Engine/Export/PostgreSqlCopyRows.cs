using System.Runtime.CompilerServices;
using System.Data;
using System.Text.Json;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;
using Npgsql;

namespace DataSyncPS.Engine.Export;

/// <summary>
/// PostgreSQL rows through <c>COPY (SELECT ...) TO STDOUT (FORMAT BINARY)</c>, each value written to JSON
/// from its wire bytes. The data reader decodes every value into a .NET object (a string from UTF-8,
/// a decimal from base-10000 digits) only for the JSON writer to encode it back; this path skips that
/// round trip and most of the per-column machinery, which was most of an export's CPU. COPY takes no
/// parameters, so keyset values are written as typed literals (<see cref="PostgreSqlLiteral"/>).
/// Used only when every column's type is one <see cref="PostgreSqlBinaryColumn"/> knows.
/// </summary>
internal sealed class PostgreSqlCopyRows : IExportRows
{
    private readonly NpgsqlRawCopyStream _stream;
    private readonly CancellationTokenRegistration _cancel;
    private readonly PostgreSqlCopyReader _reader;
    private readonly JsonEncodedText[] _names;
    private readonly string[] _columnNames;
    private readonly PostgreSqlBinaryColumn[] _columns;

    private PostgreSqlCopyRows(NpgsqlConnection connection, string copy, string[] columnNames, JsonEncodedText[] names,
        PostgreSqlBinaryColumn[] columns, CancellationToken ct)
    {
        _columnNames = columnNames;
        _names = names;
        _columns = columns;
        _stream = connection.BeginRawBinaryCopy(copy);
        try
        {
            _cancel = ct.Register(() => { try { _stream.Cancel(); } catch (Exception) { /* the read loop sees the cancellation anyway */ } });
            _reader = new PostgreSqlCopyReader(_stream);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>How to open each statement of the export through COPY; null when a column's type (or a
    /// SQL_ASCII database, whose text has no known encoding) needs the data reader.</summary>
    public static Func<ExportStatement, IExportRows>? TryPrepare(NpgsqlConnection connection, SqlExportPlan plan, TimeZoneInfo zone,
        ISyncObserver observer, CancellationToken ct)
    {
        using (var encoding = connection.CreateCommand())
        {
            encoding.CommandText = "SHOW server_encoding";
            if (!string.Equals(encoding.ExecuteScalar() as string, "UTF8", StringComparison.OrdinalIgnoreCase)) return null;
        }
        using var cmd = connection.CreateCommand();
        cmd.CommandText = plan.FullSelect + " LIMIT 0";
        using var schema = cmd.ExecuteReader(CommandBehavior.SchemaOnly);
        var count = schema.FieldCount;
        var names = new string[count];
        var columns = new PostgreSqlBinaryColumn[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = schema.GetName(i);
            var column = PostgreSqlBinaryColumn.For(schema.GetDataTypeOID(i), zone);
            if (column is null)
            {
                observer.Verbose($"Column '{names[i]}' is {schema.GetDataTypeName(i)}: rows are read through the data reader.");
                return null;
            }
            columns[i] = column;
        }
        var encoded = names.Select(n => JsonEncodedText.Encode(n, JsonValueWriter.WriterOptions.Encoder)).ToArray();
        return statement =>
        {
            var copy = $"COPY ({statement.Sql(i => PostgreSqlLiteral.Of(statement.Values[i]))}) TO STDOUT (FORMAT BINARY)";
            observer.Verbose($"SQL: {copy}");
            return new PostgreSqlCopyRows(connection, copy, names, encoded, columns, ct);
        };
    }

    public bool Read() => _reader.Read();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteRow(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = 0; i < _columns.Length; i++)
        {
            writer.WritePropertyName(_names[i]);
            if (_reader.IsNull(i)) writer.WriteNullValue();
            else _columns[i].Write(_reader.Field(i), writer);
        }
        writer.WriteEndObject();
    }

    public int GetOrdinal(string column)
    {
        var exact = Array.IndexOf(_columnNames, column);
        if (exact >= 0) return exact;
        var folded = Array.FindIndex(_columnNames, n => string.Equals(n, column, StringComparison.OrdinalIgnoreCase));
        return folded >= 0 ? folded : throw new IndexOutOfRangeException($"No column '{column}' in the result.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object GetValue(int ordinal) => _reader.IsNull(ordinal) ? DBNull.Value : _columns[ordinal].Value(_reader.Field(ordinal));

    public void Dispose()
    {
        _cancel.Dispose();
        _stream.Dispose();
    }
}
