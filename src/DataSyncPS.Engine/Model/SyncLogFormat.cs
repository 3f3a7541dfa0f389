namespace DataSyncPS;

/// <summary>What a log file holds.</summary>
public enum SyncLogFormat
{
    /// <summary>One plain line per event, read with less or Notepad: time with offset, level, cmdlet,
    /// message, then the event's fields as name=value.</summary>
    Text,

    /// <summary>One CLEF JSON object per line (Seq's format; seqcli ingest, jq, Serilog tools read it).</summary>
    Clef,
}
