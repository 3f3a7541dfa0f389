using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// A batch's rows encoded as PostgreSQL's binary COPY format as they are added: per row the column
/// count, then per value its length and bytes (-1 for NULL), into one pooled buffer. Values are
/// converted to their column's kind and written straight to the wire form, with no boxed .NET value or
/// per-value call into the driver in between; the COPY then sends the buffer as it is, skipping rows
/// dropped for a later record of the same key.
/// </summary>
internal sealed class PostgreSqlBinaryRows : ITableRows, IBufferWriter<byte>
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly long Epoch = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly int EpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private readonly ColumnKind[] _kinds;
    private readonly List<int> _starts = new();
    private readonly List<bool> _dropped = new();
    private byte[] _buffer;
    private int _length, _rowStart, _column, _droppedCount;

    public PostgreSqlBinaryRows(IReadOnlyList<TableColumn> columns)
    {
        _kinds = columns.Select(c => c.Kind).ToArray();
        _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    }

    public int Count => _starts.Count - _droppedCount;

    public void BeginRow()
    {
        _rowStart = _length;
        _column = 0;
        BinaryPrimitives.WriteInt16BigEndian(GetSpan(2), (short)_kinds.Length);
        _length += 2;
    }

    public void Add(object? value)
    {
        var kind = _kinds[_column++];
        if (value is null or DBNull)
        {
            Int32(-1);
            return;
        }
        switch (kind)
        {
            case ColumnKind.BigInt: Int32(8); Int64(ColumnValue.ToInt64(value, kind)); break;
            case ColumnKind.Integer:
                Int32(4);
                Int32((int)ColumnValue.ToInt64(value, kind));
                break;
            case ColumnKind.SmallInt:
                Int32(2);
                BinaryPrimitives.WriteInt16BigEndian(GetSpan(2), (short)ColumnValue.ToInt64(value, kind));
                _length += 2;
                break;
            case ColumnKind.Numeric:
            {
                var d = ColumnValue.ToDecimal(value);
                var n = PostgreSqlNumeric.Write(d, GetSpan(4 + PostgreSqlNumeric.MaxWriteLength)[4..]);
                Int32(n);
                _length += n;
                break;
            }
            case ColumnKind.Double: Int32(8); Int64(BitConverter.DoubleToInt64Bits(ColumnValue.ToDouble(value))); break;
            case ColumnKind.Real: Int32(4); Int32(BitConverter.SingleToInt32Bits((float)ColumnValue.ToDouble(value))); break;
            case ColumnKind.Boolean:
                Int32(1);
                GetSpan(1)[0] = ColumnValue.ToBoolean(value) ? (byte)1 : (byte)0;
                _length++;
                break;
            case ColumnKind.TimestampTz or ColumnKind.Timestamp:
                // Microseconds from 2000-01-01; a timestamp without zone holds the UTC wall clock.
                Int32(8);
                Int64((ColumnValue.ToInstant(value).UtcTicks - Epoch) / TimeSpan.TicksPerMicrosecond);
                break;
            case ColumnKind.Date: Int32(4); Int32(ColumnValue.ToDate(value).DayNumber - EpochDay); break;
            case ColumnKind.Uuid:
                Int32(16);
                ColumnValue.ToGuid(value).TryWriteBytes(GetSpan(16), bigEndian: true, out _);
                _length += 16;
                break;
            case ColumnKind.Jsonb or ColumnKind.Json: Json(value, kind == ColumnKind.Jsonb); break;
            default: Text(ColumnValue.ToText(value)); break;
        }
    }

    public void DiscardRow() => _length = _rowStart;

    public int EndRow()
    {
        _starts.Add(_rowStart);
        _dropped.Add(false);
        return _starts.Count - 1;
    }

    public void Drop(int row)
    {
        if (_dropped[row]) return;
        _dropped[row] = true;
        _droppedCount++;
    }

    /// <summary>The whole COPY stream: header, the rows kept (runs of them in one write), trailer.</summary>
    public async Task WriteToAsync(Stream copy, CancellationToken ct)
    {
        await copy.WriteAsync(Header, ct).ConfigureAwait(false);
        var row = 0;
        while (row < _starts.Count)
        {
            if (_dropped[row]) { row++; continue; }
            var from = _starts[row];
            while (row < _starts.Count && !_dropped[row]) row++;
            var to = row < _starts.Count ? _starts[row] : _length;
            await copy.WriteAsync(_buffer.AsMemory(from, to - from), ct).ConfigureAwait(false);
        }
        await copy.WriteAsync(new byte[] { 0xFF, 0xFF }, ct).ConfigureAwait(false);
    }

    private void Text(string text)
    {
        var span = GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, n);
        _length += 4 + n;
    }

    /// <summary>JSON as it is written (jsonb after its format version, 1): a string that holds a JSON
    /// object or array goes as that JSON, any other value as JSON of the value.</summary>
    private void Json(object value, bool jsonb)
    {
        var start = _length;
        Int32(0); // the length, once known
        if (jsonb)
        {
            GetSpan(1)[0] = 1;
            _length++;
        }
        if (value is string s)
        {
            var span = GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
            var n = Encoding.UTF8.GetBytes(s, span);
            var t = span[..n].Trim(" \t\r\n"u8);
            if (t.Length >= 2 && ((t[0] == '{' && t[^1] == '}') || (t[0] == '[' && t[^1] == ']')) && ColumnValue.IsJson(t))
                _length += n;
            else
                ColumnValue.WriteJson(this, s);
        }
        else ColumnValue.WriteJson(this, value);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), _length - start - 4);
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(GetSpan(4), value);
        _length += 4;
    }

    private void Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(GetSpan(8), value);
        _length += 8;
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    private void Ensure(int sizeHint)
    {
        var need = _length + Math.Max(sizeHint, 256);
        if (need <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
