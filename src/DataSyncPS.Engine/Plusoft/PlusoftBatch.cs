using System.Buffers;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>One batch as read from the view: its records as a JSON array (in a buffer recycled after
/// the send), the keys of its rows in order, and the records that could not be mapped.</summary>
internal sealed class PlusoftBatch
{
    public required ArrayBufferWriter<byte> Buffer { get; init; }
    public required IReadOnlyList<object[]> Keys { get; init; }
    /// <summary>Records whose values the mapping could not convert: their place in the batch and why.</summary>
    public required IReadOnlyList<(int Index, string Problem)> Problems { get; init; }
    public required string Sha256 { get; init; }

    public int Rows => Keys.Count;
    public ReadOnlyMemory<byte> Payload => Buffer.WrittenMemory;
    public Watermark FirstKey => new(Keys[0]);
    public Watermark LastKey => new(Keys[^1]);

    /// <summary>"(k1, k2) to (k1', k2')": the batch's key range as messages name it.</summary>
    public string Range => Rows == 0 ? "(none)" : $"({FirstKey}) to ({LastKey})";
}
