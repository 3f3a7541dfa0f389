using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Backup;

/// <summary>Finds a dump or restore tool: <c>-ToolPath</c> (the program, or the folder holding it) or
/// the PATH; a missing one is an error naming the package that brings it.</summary>
internal static partial class ToolLocator
{
    /// <param name="names">Program names to try in order (mariadb-dump, then mysqldump).</param>
    /// <param name="package">What to install, in words (e.g. "postgresql-client").</param>
    public static string Find(IReadOnlyList<string> names, string? toolPath, string package)
    {
        var exe = OperatingSystem.IsWindows() ? ".exe" : "";
        if (toolPath is not null)
        {
            if (File.Exists(toolPath))
            {
                // -ToolPath naming a program of the pair (pg_dump given, pg_restore wanted): its folder is meant.
                var name = Path.GetFileNameWithoutExtension(toolPath);
                if (names.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase))) return toolPath;
                toolPath = Path.GetDirectoryName(Path.GetFullPath(toolPath))!;
            }
            if (Directory.Exists(toolPath))
            {
                foreach (var n in names)
                    if (File.Exists(Path.Combine(toolPath, n + exe))) return Path.Combine(toolPath, n + exe);
                throw new SyncException(SyncErrorKind.BackupToolMissing,
                    $"{string.Join(" or ", names)} is not in '{toolPath}' (-ToolPath); install {package}.", target: toolPath);
            }
            throw new SyncException(SyncErrorKind.BackupToolMissing, $"-ToolPath '{toolPath}' does not exist; install {package}.", target: toolPath);
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var n in names)
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, n + exe);
                if (File.Exists(candidate)) return candidate;
            }
        throw new SyncException(SyncErrorKind.BackupToolMissing,
            $"{string.Join(" or ", names)} was not found on the PATH; install {package}, or give -ToolPath with the folder that holds it.", target: names[0]);
    }

    /// <summary>The first line of <c>tool --version</c>.</summary>
    public static async Task<string> VersionAsync(string tool, CancellationToken cancellationToken)
    {
        using var p = ToolProcess.Start(new ToolInvocation(tool, ["--version"], new Dictionary<string, string?>()), redirectStdin: false, redirectStdout: true);
        using var reader = new StreamReader(p.Stdout);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await p.EnsureSucceededAsync("reporting its version", cancellationToken).ConfigureAwait(false);
        return text.Split('\n')[0].Trim();
    }

    /// <summary>The first dotted version number in a text ("pg_dump (PostgreSQL) 15.18 (Debian...)" is 15.18).</summary>
    public static Version? ParseVersion(string? text, string? after = null)
    {
        if (text is null) return null;
        if (after is not null)
        {
            var at = text.IndexOf(after, StringComparison.OrdinalIgnoreCase);
            if (at < 0) return null;
            text = text[(at + after.Length)..];
        }
        var m = VersionNumber().Match(text);
        if (!m.Success) return null;
        return new Version(int.Parse(m.Groups[1].Value), m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : 0);
    }

    [GeneratedRegex(@"(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionNumber();
}
