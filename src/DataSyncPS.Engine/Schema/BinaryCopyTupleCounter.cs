using System.Buffers.Binary;

namespace DataSyncPS.Engine.Schema;

/// <summary>Counts the tuples of a PostgreSQL binary COPY stream fed in arbitrary chunks: 19-byte header,
/// then per tuple an int16 field count and per field an int32 length (-1 for NULL) and its bytes; an
/// int16 -1 ends the stream.</summary>
internal sealed class BinaryCopyTupleCounter
{
    private const int HeaderFixed = 11 + 4; // signature and flags; then an int32 extension length
    private readonly byte[] _pending = new byte[4];
    private int _pendingCount;
    private long _skip;
    private State _state = State.Header;
    private int _fieldsLeft;

    public long Tuples { get; private set; }

    private enum State { Header, HeaderExtension, TupleStart, FieldLength, Done }

    public void Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && _state != State.Done)
        {
            if (_skip > 0)
            {
                var take = (int)Math.Min(_skip, data.Length - i);
                _skip -= take;
                i += take;
                continue;
            }
            switch (_state)
            {
                case State.Header:
                    _skip = HeaderFixed;
                    _state = State.HeaderExtension;
                    break;
                case State.HeaderExtension:
                    if (!Take(data, ref i, 4)) return;
                    _skip = BinaryPrimitives.ReadInt32BigEndian(_pending);
                    _state = State.TupleStart;
                    break;
                case State.TupleStart:
                    if (!Take(data, ref i, 2)) return;
                    var fields = BinaryPrimitives.ReadInt16BigEndian(_pending);
                    if (fields < 0) { _state = State.Done; break; }
                    Tuples++;
                    _fieldsLeft = fields;
                    _state = _fieldsLeft == 0 ? State.TupleStart : State.FieldLength;
                    break;
                case State.FieldLength:
                    if (!Take(data, ref i, 4)) return;
                    var length = BinaryPrimitives.ReadInt32BigEndian(_pending);
                    if (length > 0) _skip = length;
                    if (--_fieldsLeft == 0) _state = State.TupleStart;
                    break;
            }
        }
    }

    /// <summary>Gathers <paramref name="count"/> bytes into the pending buffer across chunks.</summary>
    private bool Take(ReadOnlySpan<byte> data, ref int i, int count)
    {
        while (_pendingCount < count && i < data.Length) _pending[_pendingCount++] = data[i++];
        if (_pendingCount < count) return false;
        _pendingCount = 0;
        return true;
    }
}
