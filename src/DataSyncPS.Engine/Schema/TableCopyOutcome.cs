namespace DataSyncPS.Engine.Schema;

/// <summary>What the copy of one data table did: its rows, the key ranges it was copied in (the whole
/// table without -Parallel), how many an earlier run had done, and the checks already read of ranges
/// this run copied (the rest are read when the run validates).</summary>
internal sealed record TableCopyOutcome(long Rows, IReadOnlyList<KeyRange> Ranges, int Resumed, IReadOnlyDictionary<int, RangeCheck> Checks);
