using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.LaravelLog;

/// <summary>The real laravel.log files kept in ../shared/data/laravel (beside the repository, never copied into it).</summary>
public static class SampleLogs
{
    private static readonly Lazy<string?> FolderPath = new(Locate);

    /// <summary>Full path of real-1.log, real-2.log or real-3.log; skips the test (fails under CI) when the folder is missing.</summary>
    public static string Path(string name)
    {
        var folder = FolderPath.Value;
        if (folder is null)
        {
            const string why = "The shared Laravel samples (../shared/data/laravel beside the repository) are not there.";
            if (TestServers.UnderCi) Assert.Fail(why);
            Assert.Skip(why);
        }
        return System.IO.Path.Combine(folder, name);
    }

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(dir.FullName, "DataSyncPS.sln"))) continue;
            var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data", "laravel"));
            return Directory.Exists(folder) ? folder : null;
        }
        return null;
    }
}
