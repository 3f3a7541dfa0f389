using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Jobs;

/// <summary>
/// A job as a systemd oneshot service and its timer (systemd.service(5), systemd.timer(5), systemd.time(7)):
/// OnCalendar with the job's time zone as its suffix, Persistent=true so a run missed while the machine was
/// off happens at boot, no randomized delay, output to the journal under the job's identifier.
/// </summary>
public static class SystemdUnits
{
    public static string ServiceName(string job) => $"datasyncps-{job}.service";

    public static string TimerName(string job) => $"datasyncps-{job}.timer";

    public static string Service(JobDefinition job, string? moduleVersion = null)
    {
        var s = new StringBuilder();
        s.Append(Header(job, moduleVersion));
        s.Append("[Unit]\n");
        s.Append("Description=").Append(Specifiers(job.Summary)).Append('\n');
        if (job.Scope == JobScope.System)
        {
            // Sources are on the network: wait for it at boot (a Persistent timer may fire then).
            s.Append("Wants=network-online.target\nAfter=network-online.target\n");
        }
        s.Append("\n[Service]\nType=oneshot\n");
        if (job.Scope == JobScope.System && !IsRoot(job.RunAs)) s.Append("User=").Append(job.RunAs).Append('\n');
        s.Append("WorkingDirectory=").Append(Specifiers(job.WorkingDirectory)).Append('\n');
        s.Append("Environment=").Append(Quote("TZ=" + job.Schedule.IanaZone)).Append('\n');
        s.Append("ExecStart=").Append(string.Join(" ", PwshCommandLine.Argv(job).Select(Quote))).Append('\n');
        // A oneshot service's run is its start: TimeoutStartSec is its time limit (RuntimeMaxSec does not apply).
        s.Append("TimeoutStartSec=").Append(((long)job.TimeLimit.TotalSeconds).ToString(CultureInfo.InvariantCulture)).Append('\n');
        s.Append("SyslogIdentifier=datasyncps-").Append(job.Name).Append('\n');
        s.Append("StandardOutput=journal\nStandardError=journal\n");
        return s.ToString();
    }

    public static string Timer(JobDefinition job, string? moduleVersion = null)
    {
        var s = new StringBuilder();
        s.Append(Header(job, moduleVersion));
        s.Append("[Unit]\n");
        s.Append("Description=").Append(Specifiers($"Starts {ServiceName(job.Name)}: {job.Schedule.Describe()} ({job.Schedule.IanaZone})")).Append('\n');
        s.Append("\n[Timer]\n");
        foreach (var line in OnCalendar(job.Schedule)) s.Append("OnCalendar=").Append(line).Append('\n');
        s.Append("Persistent=true\n");
        s.Append("AccuracySec=1s\n");
        s.Append("RandomizedDelaySec=0\n");
        s.Append("Unit=").Append(ServiceName(job.Name)).Append('\n');
        s.Append("\n[Install]\nWantedBy=timers.target\n");
        return s.ToString();
    }

    /// <summary>One calendar event per time of day: "Mon,Thu *-*-* 01:00:00 America/Sao_Paulo".</summary>
    public static IEnumerable<string> OnCalendar(JobSchedule schedule) => schedule.Times.Select(t =>
        (schedule.Days is null ? "" : string.Join(",", schedule.Days.Select(d => d.ToString()[..3])) + " ")
        + "*-*-* " + t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) + " " + schedule.IanaZone);

    public static bool IsRoot(string account) => account is "root" or "0";

    /// <summary>systemd's quoting of one command-line word: double quotes with C escapes when needed,
    /// '%' doubled (specifiers) and '$' doubled (variable expansion) always.</summary>
    public static string Quote(string word)
    {
        var escaped = Specifiers(word).Replace("$", "$$");
        if (escaped.Length > 0 && !escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or ';')) return escaped;
        return "\"" + escaped.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";
    }

    private static string Specifiers(string text) => text.Replace("%", "%%");

    private static string Header(JobDefinition job, string? moduleVersion) =>
        $"# Written by Register-SyncJob (DataSyncPS{(moduleVersion is null ? "" : " " + moduleVersion)}); remove it with Unregister-SyncJob -Name {job.Name}.\n";
}
