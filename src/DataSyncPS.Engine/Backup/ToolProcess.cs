using System.Diagnostics;
using System.Text;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// A dump or restore tool running as a child process: arguments as a list (never one string a shell
/// would split), secrets only in its environment or an option file (<see cref="ToolInvocation"/>),
/// stdout and stdin as streams, the end of stderr kept for the error message. Disposing it kills a
/// tool still running, with its children.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private const int StderrKept = 16 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrDone;
    private bool _exited;

    private ToolProcess(Process process)
    {
        _process = process;
        _stderrDone = Task.Run(ReadStderrAsync);
    }

    public string Name { get; private init; } = "";
    public int Id => _process.Id;
    public Stream Stdout => _process.StandardOutput.BaseStream;
    public Stream Stdin => _process.StandardInput.BaseStream;

    public static ToolProcess Start(ToolInvocation invocation, bool redirectStdin, bool redirectStdout)
    {
        var info = new ProcessStartInfo(invocation.Path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = redirectStdout,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in invocation.Arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in invocation.Environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            process.Dispose();
            throw new SyncException(SyncErrorKind.BackupToolMissing, $"{invocation.Path} could not be started: {e.Message}", e, invocation.Path);
        }
        return new ToolProcess(process) { Name = System.IO.Path.GetFileNameWithoutExtension(invocation.Path) };
    }

    private async Task ReadStderrAsync()
    {
        var buffer = new char[4096];
        var reader = _process.StandardError;
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_stderr)
            {
                _stderr.Append(buffer, 0, n);
                if (_stderr.Length > StderrKept * 2) _stderr.Remove(0, _stderr.Length - StderrKept);
            }
        }
    }

    /// <summary>The end of what the tool wrote on stderr, trimmed.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                var s = _stderr.ToString();
                return (s.Length > StderrKept ? "…" + s[^StderrKept..] : s).Trim();
            }
        }
    }

    /// <summary>Waits for the tool to end (stderr read to its end too); its exit code.</summary>
    public async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderrDone.ConfigureAwait(false);
        _exited = true;
        return _process.ExitCode;
    }

    /// <summary>Waits and throws <see cref="SyncErrorKind.BackupFailed"/> with the tool's stderr unless it exited 0.</summary>
    public async Task EnsureSucceededAsync(string doing, CancellationToken cancellationToken)
    {
        var code = await WaitAsync(cancellationToken).ConfigureAwait(false);
        if (code != 0)
            throw new SyncException(SyncErrorKind.BackupFailed,
                $"{Name} failed (exit code {code}) while {doing}" + (Stderr.Length > 0 ? ": " + Stderr : "."));
    }

    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        if (!_exited) Kill();
        try { _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
