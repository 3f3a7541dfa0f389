namespace DataSyncPS.Engine.Jobs;

/// <summary>Finds the pwsh a job should start: the one running now when it is a pwsh executable, else
/// pwsh on PATH, else the usual install folders.</summary>
public static class PwshLocator
{
    public static string? Find(string? psHome)
    {
        var exe = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(psHome)) candidates.Add(Path.Combine(psHome, exe));
        if (Environment.ProcessPath is { } process && Path.GetFileName(process).Equals(exe, StringComparison.OrdinalIgnoreCase)) candidates.Add(process);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            candidates.Add(Path.Combine(dir, exe));
        candidates.AddRange(OperatingSystem.IsWindows()
            ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "PowerShell", "7", exe)]
            : ["/usr/bin/pwsh", "/usr/local/bin/pwsh", "/opt/microsoft/powershell/7/pwsh", "/snap/bin/pwsh"]);
        return candidates.FirstOrDefault(File.Exists);
    }
}
