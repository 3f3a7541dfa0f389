namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>The repository's own files (scripts, examples), found from the test's output folder, so
/// the tests read the sources as committed and not copies.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>The PowerShell scripts the suite keeps from rotting: Pester tests, build.ps1, examples.</summary>
    public static IEnumerable<string> Scripts() =>
        Directory.EnumerateFiles(PathOf("tests/pester"), "*.ps1")
            .Concat(Directory.EnumerateFiles(PathOf("examples"), "*.ps1"))
            .Append(PathOf("build.ps1"))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DataSyncPS.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No DataSyncPS.sln above '{AppContext.BaseDirectory}'.");
    }
}
