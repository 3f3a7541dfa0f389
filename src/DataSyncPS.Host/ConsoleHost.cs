using System.Globalization;
using System.Management.Automation.Host;

namespace DataSyncPS.Host;

/// <summary>A non-interactive PowerShell host over the console: output to stdout, errors to stderr,
/// exit codes from <c>exit</c>.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUserInterface _ui = new();

    public int? ExitCode { get; private set; }

    public override string Name => "DataSyncPS.Host";
    public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 1);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException("This host is not interactive.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("This host is not interactive.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
