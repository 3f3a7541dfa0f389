using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Export;

/// <summary>Where batches go when the admin names no folder: the per-user outbox next to the state store.</summary>
public static class ExportDefaults
{
    public static string OutputDirectory => Path.Combine(StateStore.DataHome, "outbox");
}
