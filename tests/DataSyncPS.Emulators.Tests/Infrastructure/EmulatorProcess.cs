using System.Diagnostics;

namespace DataSyncPS.Emulators.Tests.Infrastructure;

/// <summary>
/// An emulator run as a program (<c>dotnet DataSyncPS.Emulators.dll NAME options...</c>), as an admin
/// runs it by hand: its banner read up to "Ctrl+C stops it." as "label  value" lines, then its call log
/// line by line. Disposing kills it.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorProcess(Process process) => _process = process;

    /// <summary>The banner's lines, and its values by label ("API base URL", "API key"...).</summary>
    public List<string> BannerLines { get; } = [];
    public Dictionary<string, string> Banner { get; } = new();

    public static async Task<EmulatorProcess> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DataSyncPS.Emulators.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        var emulator = new EmulatorProcess(Process.Start(start)!);
        try
        {
            while (await emulator.ReadLineAsync(TimeSpan.FromSeconds(30)) is { } line)
            {
                if (line.StartsWith("Ctrl+C", StringComparison.Ordinal)) break;
                emulator.BannerLines.Add(line);
                var parts = line.Trim().Split("  ", 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length == 2) emulator.Banner[parts[0]] = parts[1];
            }
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next line it prints (a call of its log), or null at its end.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? wait = null)
    {
        var cancel = TestContext.Current.CancellationToken;
        return await _process.StandardOutput.ReadLineAsync(cancel).AsTask().WaitAsync(wait ?? TimeSpan.FromSeconds(10), cancel);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }
}
