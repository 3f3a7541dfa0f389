using System.Management.Automation;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using DataSyncPS.Engine.Http;
using DataSyncPS.Engine.Logging;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>The logging half of <see cref="SyncCmdlet"/>: WriteVerbose, WriteWarning, WriteError and
/// ThrowTerminatingError are hidden by versions that also log, so every cmdlet's own calls (and the
/// engine's reports replayed by EngineEventQueue) reach the logs with its run id and stream.</summary>
public abstract partial class SyncCmdlet
{
    private LogRun? _log;
    private bool _logStarted;

    /// <summary>This invocation's log run, started (its first event written) on first use; null when
    /// logging is off.</summary>
    private protected LogRun? Log
    {
        get
        {
            if (_logStarted) return _log;
            _logStarted = true;
            var problems = new List<string>();
            _log = ModuleLogging.Start(MyInvocation.MyCommand?.Name ?? GetType().Name, problems);
            foreach (var p in problems) base.WriteWarning(p);
            _log?.Started(StartParameters());
            return _log;
        }
    }

    public new void WriteVerbose(string text)
    {
        Log?.Write(SyncLogLevel.Verbose, text);
        base.WriteVerbose(text);
    }

    /// <summary>A verbose message the logs keep at another level (a stream's summary at Information).</summary>
    private protected void WriteVerbose(string text, SyncLogLevel logAs)
    {
        Log?.Write(logAs, text);
        base.WriteVerbose(text);
    }

    /// <summary>The engine's milestones (<see cref="Engine.Export.ISyncObserver.Information"/>): verbose
    /// messages the logs keep at Information.</summary>
    internal void WriteInformationVerbose(string text) => WriteVerbose(text, SyncLogLevel.Information);

    public new void WriteWarning(string text)
    {
        Log?.Write(SyncLogLevel.Warning, text);
        base.WriteWarning(text);
    }

    public new void WriteError(ErrorRecord error)
    {
        LogError(error);
        base.WriteError(error);
    }

    public new void ThrowTerminatingError(ErrorRecord error)
    {
        LogError(error);
        EndLog(RunStatus.Failed);
        base.ThrowTerminatingError(error);
    }

    /// <summary>Names a stream the run works on: later events that name none carry it, and a run of
    /// several streams carries them all, comma-separated.</summary>
    private protected void LogStream(string? stream)
    {
        if (stream is null || Log is not { } log) return;
        if (log.Stream is null) log.Stream = stream;
        else if (!log.Stream.Split(',').Contains(stream)) log.Stream += "," + stream;
    }

    /// <summary>A batch the engine wrote, counted and logged as it goes to the pipeline.</summary>
    internal void LogBatch(SyncBatch batch)
    {
        if (Log is not { } log) return;
        log.Count(batch.Rows, 1, batch.Bytes);
        log.Write(SyncLogLevel.Information, $"Batch {batch.Stream} #{batch.Sequence} written: {batch.Rows:N0} row(s), {batch.Bytes:N0} bytes, {Path.GetFileName(batch.Path)}.",
            batch.Stream, properties: new Dictionary<string, object?>
            {
                ["Sequence"] = batch.Sequence,
                ["BatchRows"] = batch.Rows,
                ["BatchBytes"] = batch.Bytes,
                ["File"] = batch.Path,
            });
    }

    /// <summary>Writes the run's last event and waits (briefly) for the logs to have it; problems the
    /// logs had become warnings.</summary>
    private protected void EndLog(RunStatus status)
    {
        if (_log is not { } log || log.HasEnded) return;
        log.Ended(status);
        log.Flush();
        foreach (var p in log.TakeProblems()) base.WriteWarning(p);
    }

    private void LogError(ErrorRecord error)
    {
        if (Log is not { } log) return;
        var id = error.FullyQualifiedErrorId;
        var comma = id.IndexOf(',');
        var properties = new Dictionary<string, object?>
        {
            ["Category"] = error.CategoryInfo.Category.ToString(),
            ["FullyQualifiedErrorId"] = id,
        };
        if (error.TargetObject is string target) properties["Target"] = target;
        log.Error(error.ErrorDetails?.Message ?? error.Exception?.Message ?? error.ToString(), comma < 0 ? id : id[..comma],
            StreamOf(error.TargetObject), properties);
    }

    private static string? StreamOf(object? target) => target switch
    {
        SyncBatch b => b.Stream,
        DataSnapUpload u => u.Stream,
        SyncStreamState s => s.Stream,
        _ => null,
    };

    private static readonly Regex SecretParameter = new("password|secret|apikey|token|credential|connectionstring", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The parameters given on the command line, as an admin would type them; secrets (and
    /// parameters whose names say they hold one) show as (secret), objects by their type only.</summary>
    private string StartParameters()
    {
        var sb = new StringBuilder();
        foreach (var (name, raw) in MyInvocation.BoundParameters)
        {
            var value = raw is PSObject p ? p.BaseObject : raw;
            var text = value switch
            {
                SwitchParameter s => s.IsPresent ? "" : ":$false",
                bool b => b ? ":$true" : ":$false",
                SecureString or PSCredential => " (secret)",
                _ when SecretParameter.IsMatch(name) => " (secret)",
                null => " $null",
                string s => " " + Quote(s),
                Uri u => " " + Quote(EndpointText.Mask(u)),
                Enum or int or long or double or decimal => " " + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                Array a when a.Cast<object?>().All(i => i is string or Enum or int or long) => " " + string.Join(",", a.Cast<object>().Select(i => Quote(Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture)!))),
                _ => $" ({value.GetType().Name})",
            };
            if (sb.Length > 0) sb.Append(' ');
            sb.Append('-').Append(name).Append(text);
        }
        return sb.ToString();
    }

    private static string Quote(string s)
    {
        if (s.Length > 200) s = s[..200] + "…";
        return s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or '\\' or ':' or '*') ? s : "'" + s.Replace("'", "''") + "'";
    }
}
