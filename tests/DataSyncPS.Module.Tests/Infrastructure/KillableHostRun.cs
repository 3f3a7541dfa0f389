using System.Collections.Concurrent;
using System.Diagnostics;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>What one run of the built host did: whether it was killed (SIGKILL of its whole tree, seen as
/// exit code 137), or how it exited, and what it printed.</summary>
public sealed record HostRunResult(bool Killed, int ExitCode, TimeSpan Elapsed, IReadOnlyList<string> Lines, IReadOnlyList<string> Errors)
{
    public string Output => string.Join('\n', Lines);
    public string Error => string.Join('\n', Errors);
}

/// <summary>Runs the built host as a scheduler does (stdio redirected, stdin closed) and, when asked,
/// kills its whole process tree at a chosen point: <paramref name="killOnLine"/> fires on a line of its
/// stdout (null: as soon as it starts), then <paramref name="delay"/> passes. A hung run fails the test.</summary>
public static class KillableHostRun
{
    /// <param name="kill">False to let the run finish.</param>
    /// <param name="beforeKill">Sees the lines so far just before the kill (to say where the run stood).</param>
    public static async Task<HostRunResult> RunAsync(BuiltHost host, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        bool kill, Func<string, bool>? killOnLine, TimeSpan delay, TimeSpan timeout, Action<IReadOnlyCollection<string>>? beforeKill, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Path.Combine(host.Directory, "DataSyncPS.Host.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;

        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var trigger = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (kill && killOnLine is null) trigger.TrySetResult();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lines.Enqueue(line);
            if (kill && killOnLine is not null && killOnLine(line)) trigger.TrySetResult();
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
        try
        {
            if (kill && await Task.WhenAny(trigger.Task, exited) == trigger.Task)
            {
                await Task.WhenAny(exited, Task.Delay(delay, ct));
                if (!process.HasExited)
                {
                    beforeKill?.Invoke(lines);
                    try { process.Kill(entireProcessTree: true); killed = true; }
                    catch (InvalidOperationException) { /* it ended on its own just now */ }
                }
            }
            await exited;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the host hung: no exit within {timeout.TotalSeconds:N0}s (after {string.Join(" | ", lines.TakeLast(5))}).\n{string.Join('\n', errors)}");
        }
        var elapsed = clock.Elapsed;
        process.WaitForExit(); // the redirected streams are drained too
        // A SIGKILL shows as 128+9; had the process finished first, its own exit code shows.
        killed &= process.ExitCode == (OperatingSystem.IsWindows() ? -1 : 137);
        return new HostRunResult(killed, process.ExitCode, elapsed, lines.ToList(), errors.ToList());
    }
}
