using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>Which stream a run writes: its canonical key, the key an earlier version kept it under
/// (adopted once, so an upgrade continues from the old watermark), and whether to start it over.</summary>
public sealed record StreamRequest(StreamKey Key, StreamKey? EarlierKey = null, bool Reset = false);
