using System.Runtime.InteropServices;

namespace DataSyncPS.Host;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM — what systemd, Docker and a stopped scheduled task send — stop the
/// running pipeline the way Ctrl+C does in pwsh: the cmdlets' StopProcessing cancels the query and
/// discards the open batch. The host then exits 128 + the signal (130, 143) so a scheduler records a
/// stopped run, not a success. A second signal while stopping ends the process at once, with the same
/// code (pwsh's own Ctrl+C handler cancels SIGINT's default, so that default cannot do it).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private const int SigInt = 2, SigTerm = 15; // the same on Linux, macOS and the BSDs
    private static readonly IntPtr SigDfl = 0, SigIgn = 1;

    private readonly Action _stopRun;
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _signal;

    /// <param name="stopRun">Stops the running pipeline; called once, on a pool thread.</param>
    public StopSignals(Action stopRun)
    {
        _stopRun = stopRun;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public bool Requested { get { lock (_registrations) return _signal is not null; } }

    public int ExitCode => _signal == PosixSignal.SIGTERM ? 128 + SigTerm : 128 + SigInt;

    public string Message => _signal switch
    {
        PosixSignal.SIGINT => "Stopped by SIGINT (Ctrl+C).",
        PosixSignal.SIGTERM => "Stopped by SIGTERM.",
        _ => "Stopped.",
    };

    /// <summary>
    /// A process started in the background of a non-interactive shell (cron, scripts, CI) inherits
    /// SIGINT as ignored, and .NET then never handles it: `kill -INT` did nothing at all. The host
    /// stops on SIGINT and SIGTERM whoever started it, so an ignored disposition goes back to the
    /// default before the runtime sets up its signal handling — that is, before anything touches
    /// Console, Process or PosixSignalRegistration. Must be the first thing the host does.
    /// </summary>
    public static void StopEvenIfIgnored()
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var signal in (int[])[SigInt, SigTerm])
            if (CurrentHandler(signal) == SigIgn) signal_(signal, SigDfl);
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_registrations)
        {
            if (_signal is not null) ExitNow(ExitCode);
            _signal = context.Signal;
        }
        context.Cancel = true;
        ThreadPool.QueueUserWorkItem(_ => _stopRun());
    }

    private static void ExitNow(int code)
    {
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        _exit(code);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    /// <summary>The handler field of the signal's sigaction: first in the struct on glibc, musl,
    /// macOS and the BSDs; the buffer is larger than any of those structs.</summary>
    private static IntPtr CurrentHandler(int signal)
    {
        var action = Marshal.AllocHGlobal(512);
        try
        {
            return sigaction(signal, IntPtr.Zero, action) == 0 ? Marshal.ReadIntPtr(action) : SigDfl;
        }
        finally { Marshal.FreeHGlobal(action); }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sigaction(int signum, IntPtr act, IntPtr oldact);

    [DllImport("libc")]
    private static extern void _exit(int status);

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern IntPtr signal_(int signum, IntPtr handler);
}
