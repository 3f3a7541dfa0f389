using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Tests.Logging;

internal static class LogEvents
{
    public static SyncLogEvent At(DateTimeOffset when, string message = "Batch vendas #1 written.", SyncLogLevel level = SyncLogLevel.Information) => new()
    {
        Timestamp = when,
        Level = level,
        Message = message,
        Cmdlet = "Export-SyncBatch",
        RunId = "6f1d3c9a-5a7e-4b8e-9a41-2d4f0c7b9e13",
        Stream = "public.vendas",
        Rows = 120,
        Batches = 3,
        Bytes = 45_678,
        Duration = TimeSpan.FromMilliseconds(1250),
    };
}
