using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>A PowerShell 7.6 runspace with the built module imported from the test's output folder,
/// as a user's session would have it. Each test gets its own.</summary>
public sealed class ModuleRunspace : IDisposable
{
    public static string ModuleManifest => Path.Combine(AppContext.BaseDirectory, "DataSyncPS", "DataSyncPS.psd1");

    private readonly Runspace _runspace;

    public ModuleRunspace(bool import = true)
    {
        var state = InitialSessionState.CreateDefault2();
        if (import) state.ImportPSModule(ModuleManifest);
        state.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script; output, errors, progress, verbose and warnings come back separately.
    /// A terminating error does not throw: it is in <see cref="RunResult.Errors"/> (and Terminated).</summary>
    public RunResult Run(string script, Dictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create(_runspace);
        if (variables is not null)
            foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        Collection<PSObject> output;
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = [];
            terminating = ex;
        }
        var errors = ps.Streams.Error.ToList();
        if (terminating is RuntimeException rte && rte.ErrorRecord is not null && !errors.Contains(rte.ErrorRecord)) errors.Add(rte.ErrorRecord);
        return new RunResult(output.ToList(), errors, ps.Streams.Progress.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(), terminating);
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record RunResult(
    List<PSObject> Output,
    List<ErrorRecord> Errors,
    List<ProgressRecord> Progress,
    List<string> Verbose,
    List<string> Warnings,
    Exception? Terminating)
{
    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    /// <summary>The one output object, with its PowerShell properties reachable dynamically.</summary>
    public dynamic Single() => Assert.Single(Output);

    /// <summary>The one output object's .NET value.</summary>
    public T Single<T>() => (T)Assert.Single(Output).BaseObject;

    /// <summary>Fails with the errors' text when the run had any.</summary>
    public RunResult AssertNoErrors()
    {
        if (Errors.Count > 0) Assert.Fail("Unexpected errors:\n" + string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return this;
    }
}
