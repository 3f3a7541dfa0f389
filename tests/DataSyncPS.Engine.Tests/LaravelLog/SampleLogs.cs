namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>The real laravel.log files kept in ../shared/data/laravel (beside the repository, never copied into it).</summary>
public static class SampleLogs
{
    /// <summary>Full path of real-1.log, real-2.log or real-3.log; skips the test (fails under CI) when it is missing.</summary>
    public static string Path(string name) => TestEnvironment.SharedPath("data", "laravel", name);
}
