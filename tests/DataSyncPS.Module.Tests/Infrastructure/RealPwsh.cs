namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>
/// The real pwsh to compare the bundled host with: DATASYNC_PWSH, or pwsh on PATH (.ci/run installs
/// 7.6.9 into a folder of the repository). The rule for a missing one is the servers' rule: skipped with
/// the reason outside CI, a failure under CI=true.
/// </summary>
public static class RealPwsh
{
    private static readonly Lazy<(string? Path, string Problem)> Found = new(Find);

    public static string Require()
    {
        var (path, problem) = Found.Value;
        if (path is not null) return path;
        if (TestEnvironment.UnderCi) Assert.Fail($"pwsh is needed under CI: {problem}");
        Assert.Skip($"pwsh is not there ({problem}); set DATASYNC_PWSH to a pwsh 7.6.9, e.g. /work/tools/pwsh/pwsh.");
        return null!;
    }

    private static (string?, string) Find()
    {
        if (Environment.GetEnvironmentVariable("DATASYNC_PWSH") is { Length: > 0 } given)
            return File.Exists(given) ? (given, "") : (null, $"DATASYNC_PWSH is '{given}', which does not exist");
        var names = OperatingSystem.IsWindows() ? new[] { "pwsh.exe" } : ["pwsh"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
                if (File.Exists(Path.Combine(dir, name))) return (Path.Combine(dir, name), "");
        return (null, "DATASYNC_PWSH is not set and no pwsh is on PATH");
    }
}
