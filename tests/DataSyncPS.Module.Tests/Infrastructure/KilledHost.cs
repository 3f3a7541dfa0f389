using System.Collections.Concurrent;
using System.Diagnostics;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>
/// The built host run as a scheduler runs it (stdio redirected, stdin closed), its stdout watched line
/// by line, and killed (its whole process tree, as a crash or an OOM killer would) where a test aims:
/// <c>delayMs</c> after the first line <c>arm</c> says yes to (or after the start with
/// <c>armAtStart</c>), unless it ended first. The crash-recovery tests run their jobs through it.
/// </summary>
public static class KilledHost
{
    /// <param name="AtKill">What <c>describe</c> said just before the kill (null when the run ended by itself).</param>
    public sealed record Run(bool Killed, int ExitCode, TimeSpan Elapsed, string[] Lines, string Output, string Error, string? AtKill);

    public static async Task<Run> RunAsync(string hostDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        Func<string, bool>? arm, bool armAtStart, int delayMs, TimeSpan timeout, Func<string[], string>? describe, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Path.Combine(hostDirectory, "DataSyncPS.Host.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;

        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var trigger = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (armAtStart) trigger.TrySetResult();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lines.Enqueue(line);
            if (arm?.Invoke(line) == true) trigger.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var exited = process.WaitForExitAsync(limit.Token);
        var killed = false;
        string? atKill = null;
        try
        {
            if ((arm is not null || armAtStart) && await Task.WhenAny(trigger.Task, exited) == trigger.Task)
            {
                await Task.WhenAny(exited, Task.Delay(delayMs, ct));
                if (!process.HasExited)
                {
                    atKill = describe?.Invoke([.. lines]);
                    try { process.Kill(entireProcessTree: true); killed = true; }
                    catch (InvalidOperationException) { /* it ended on its own just now */ }
                }
            }
            await exited;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"a run hung: no exit within {timeout.TotalSeconds:N0}s (after {string.Join(" | ", lines.TakeLast(5))}).\n{string.Join('\n', errors)}");
        }
        var elapsed = clock.Elapsed;
        process.WaitForExit(); // the redirected streams are drained too
        // A SIGKILL shows as 128+9; had the process finished first, its own exit code shows.
        killed &= process.ExitCode == (OperatingSystem.IsWindows() ? -1 : 137);
        string[] all = [.. lines];
        return new Run(killed, process.ExitCode, elapsed, all, string.Join('\n', all), string.Join('\n', errors), killed ? atKill : null);
    }
}
