using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataSyncPS.Engine.Jobs;

/// <summary>The JSON record of a registered job, beside the scheduler's own files: what Get-SyncJob lists,
/// what Unregister-SyncJob removes and what Test-SyncJob checks.</summary>
public static class JobManifest
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string ToJson(SyncJob job) => JsonSerializer.Serialize(job, Options) + "\n";

    /// <summary>The job in a manifest file; null when there is none. A damaged one is an error naming it.</summary>
    public static SyncJob? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var job = JsonSerializer.Deserialize<SyncJob>(File.ReadAllText(path), Options)
                ?? throw new JsonException("empty");
            job.ManifestPath = path;
            try { job.NextRun = new JobSchedule(job.At, job.DaysOfWeek, job.TimeZone).NextRun(DateTimeOffset.Now); }
            catch (SyncException) { job.NextRun = null; } // a zone this machine does not know
            return job;
        }
        catch (JsonException ex)
        {
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The job manifest '{path}' is damaged: {ex.Message}", ex, path);
        }
    }
}
