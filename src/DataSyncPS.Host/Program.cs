using System.Management.Automation;
using System.Management.Automation.Runspaces;
using DataSyncPS.Host;
using Microsoft.PowerShell;

// pwsh's own console host (ConsoleShell, from Microsoft.PowerShell.SDK) with DataSyncPS imported: the same
// command line, standard modules, output, errors and exit codes as pwsh -File / -Command. What the host
// adds: SIGINT and SIGTERM stop the running pipeline (the export is cancelled, its open batch discarded)
// and the process exits 130 / 143 with one "Stopped by ..." line on stderr, whoever started it.
StopSignals.StopEvenIfIgnored();

HostArguments arguments;
try { arguments = HostArguments.Parse(args); }
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return ExitCodes.BadCommandLine;
}

var modulePath = Path.GetFullPath(arguments.ModulePath ?? Path.Combine(AppContext.BaseDirectory, "DataSyncPS", "DataSyncPS.psd1"));
if (!File.Exists(modulePath))
{
    Console.Error.WriteLine(arguments.ModulePath is not null
        ? $"-Module: '{modulePath}' does not exist."
        : $"The DataSyncPS module was not found at '{modulePath}'. Build the host with 'dotnet build src/DataSyncPS.Host', which assembles the module next to it.");
    return arguments.ModulePath is not null ? ExitCodes.BadCommandLine : ExitCodes.StartupFailed;
}

// pwsh's own defaults, except that a host bundled with a module reports nothing to Microsoft and looks for
// no PowerShell updates unless the user asks for it (these variables are pwsh's own switches).
if (Environment.GetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT") is null) Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
if (Environment.GetEnvironmentVariable("POWERSHELL_UPDATECHECK") is null) Environment.SetEnvironmentVariable("POWERSHELL_UPDATECHECK", "Off");
// Logs of scheduled runs and CI get plain text: pwsh stops colouring stdout when it is redirected, but not
// the error lines on a redirected stderr.
if (Console.IsErrorRedirected) PSStyle.Instance.OutputRendering = OutputRendering.PlainText;

using var signals = new StopSignals(HostRunspace.Stop);
var state = InitialSessionState.CreateDefault2();
state.ImportPSModule(modulePath);
state.ImportPSModule(typeof(HostRunspace).Assembly.Location);
ErrorViewWithIds(state);
var code = ConsoleShell.Start(state, null, null, arguments.ShellArguments);
if (!signals.Requested) return code;
Console.Error.WriteLine(signals.Message);
return signals.ExitCode;

// Errors in NormalView, which names each error's FullyQualifiedErrorId (PathNotFound, StreamLocked...):
// the log of a night's run should say which error it was. A script may still set $ErrorView itself.
static void ErrorViewWithIds(InitialSessionState state)
{
    var concise = state.Variables["ErrorView"].Single();
    state.Variables.Remove(concise.Name, null);
    state.Variables.Add(new SessionStateVariableEntry(concise.Name, ErrorView.NormalView, concise.Description, concise.Options, concise.Attributes));
}

internal static class ExitCodes
{
    public const int BadCommandLine = 64, StartupFailed = 70; // pwsh's own (sysexits' EX_USAGE, EX_SOFTWARE)
}
