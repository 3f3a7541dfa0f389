using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using DataSyncPS.Host;

// Runs a script or command with DataSyncPS imported, as pwsh would: output formatted by the module's
// views, errors on stderr, exit code 1 on a terminating error (or the script's own `exit N`), and
// 130 / 143 when SIGINT / SIGTERM stopped it.
StopSignals.StopEvenIfIgnored();
Console.OutputEncoding = new UTF8Encoding(false);

HostArguments arguments;
try { arguments = HostArguments.Parse(args); }
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(HostArguments.Usage);
    return 2;
}

var modulePath = arguments.ModulePath ?? Path.Combine(AppContext.BaseDirectory, "DataSyncPS", "DataSyncPS.psd1");
if (!File.Exists(modulePath))
{
    Console.Error.WriteLine($"The DataSyncPS module was not found at '{modulePath}'. Build the host with 'dotnet build src/DataSyncPS.Host', which assembles the module next to it.");
    return 2;
}

using var signals = new StopSignals();
var host = new ConsoleHost();
var state = InitialSessionState.CreateDefault2();
state.ImportPSModule(modulePath);
using var runspace = RunspaceFactory.CreateRunspace(host, state);
runspace.Open();

using var ps = PowerShell.Create(runspace);
ps.AddScript(arguments.Script());
ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
ps.AddCommand("Out-Default");
var stopped = false;
try
{
    var invocation = ps.BeginInvoke();
    // Registered after BeginInvoke, so a signal that came during start-up stops the pipeline too.
    using (signals.Token.Register(() => ps.BeginStop(null, null)))
        ps.EndInvoke(invocation);
    // A stopped pipeline does not always throw: its state says it.
    stopped = ps.InvocationStateInfo.State == PSInvocationState.Stopped;
}
catch (PipelineStoppedException)
{
    stopped = true;
}
catch (RuntimeException ex) when (!signals.Requested)
{
    Console.Error.WriteLine(ex.ErrorRecord?.ToString() ?? ex.Message);
    if (ex.ErrorRecord?.InvocationInfo?.PositionMessage is { Length: > 0 } where) Console.Error.WriteLine(where);
    Console.Error.WriteLine($"    + FullyQualifiedErrorId : {ex.ErrorRecord?.FullyQualifiedErrorId}");
    return host.ExitCode ?? 1;
}
catch (RuntimeException)
{
    stopped = true; // whatever the stop broke on its way out, the run was stopped
}
if (stopped || signals.Requested)
{
    Console.Error.WriteLine(signals.Message);
    return signals.ExitCode;
}
return host.ExitCode ?? 0;
