namespace DataSyncPS.Engine.State;

/// <summary>One key range of a table copy as the store keeps it: its bounds (serialised keys; null is
/// open), and once its rows are in the target, how many and which run put them there.</summary>
public sealed record CopyRangeRecord(int Index, string? Lower, string? Upper, long? Rows, string? DoneRun)
{
    public bool Done => DoneRun is not null;
}
