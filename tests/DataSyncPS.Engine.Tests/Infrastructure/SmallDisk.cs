using System.Diagnostics;

namespace DataSyncPS.Engine.Tests.Infrastructure;

/// <summary>
/// A real small (or read-only) file system for a test: a tmpfs mounted at a folder of the test's own,
/// so "the disk is full" and "the folder is read-only" happen for real (root ignores file modes, so a
/// chmod would prove nothing). Needs Linux and root, as on the development machine and in CI; elsewhere
/// the test is skipped (under CI it fails).
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(string path, int kilobytes, bool readOnly = false)
    {
        var problem = !OperatingSystem.IsLinux() ? "not Linux"
            : Environment.UserName != "root" ? "not running as root"
            : null;
        Directory.CreateDirectory(path);
        if (problem is null)
        {
            var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k{(readOnly ? ",ro" : "")}", "tmpfs", path);
            if (code != 0) problem = "mount failed: " + error;
        }
        if (problem is not null)
        {
            if (DataSyncPS.Tests.TestEnvironment.UnderCi) Assert.Fail($"A small tmpfs disk cannot be mounted under CI: {problem}");
            Assert.Skip($"A small tmpfs disk cannot be mounted here ({problem}).");
        }
        return new SmallDisk(path);
    }

    public void Dispose()
    {
        for (var i = 0; i < 20 && Run("umount", Path).Code != 0; i++) Thread.Sleep(100);
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, error.Trim());
    }
}
