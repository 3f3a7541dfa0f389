using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Jobs;

/// <summary>
/// A job as cron lines, where there is no systemd: a file in /etc/cron.d (System scope, with the user
/// field) or a marked block in the user's crontab (User scope). CRON_TZ gives the times' zone (cronie and
/// busybox honour it; Debian's cron does not: Test-SyncJob warns when the machine's zone differs), TZ the
/// script's. Output is appended to the job's log file.
/// </summary>
public static class CronEntries
{
    public static string FileName(string job) => "datasyncps-" + job;

    public static string BeginMarker(string job) => $"# BEGIN DataSyncPS job {job} (Register-SyncJob; remove it with Unregister-SyncJob -Name {job})";

    public static string EndMarker(string job) => $"# END DataSyncPS job {job}";

    /// <summary>The /etc/cron.d file (mode 0644, root's: cron ignores others).</summary>
    public static string CronDFile(JobDefinition job, string? moduleVersion = null)
    {
        var s = new StringBuilder();
        s.Append($"# Written by Register-SyncJob (DataSyncPS{(moduleVersion is null ? "" : " " + moduleVersion)}); remove it with Unregister-SyncJob -Name {job.Name}.\n");
        s.Append("# ").Append(job.Summary.Replace('\n', ' ')).Append('\n');
        s.Append("SHELL=/bin/sh\n");
        s.Append("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        s.Append("CRON_TZ=").Append(job.Schedule.IanaZone).Append('\n');
        foreach (var line in Lines(job, withUser: true)) s.Append(line).Append('\n');
        return s.ToString();
    }

    /// <summary>The user's crontab with this job's block put in place of an older one (or at the end).
    /// CRON_TZ holds for the lines after it, so the block sets it back to the machine's zone.</summary>
    public static string MergeUserBlock(string crontab, JobDefinition job, string machineZone)
    {
        var s = new StringBuilder(RemoveUserBlock(crontab, job.Name));
        if (s.Length > 0 && s[^1] != '\n') s.Append('\n');
        s.Append(BeginMarker(job.Name)).Append('\n');
        s.Append("CRON_TZ=").Append(job.Schedule.IanaZone).Append('\n');
        foreach (var line in Lines(job, withUser: false)) s.Append(line).Append('\n');
        s.Append("CRON_TZ=").Append(machineZone).Append('\n');
        s.Append(EndMarker(job.Name)).Append('\n');
        return s.ToString();
    }

    public static string RemoveUserBlock(string crontab, string job)
    {
        var lines = crontab.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1] == "") lines.RemoveAt(lines.Count - 1);
        var begin = lines.IndexOf(BeginMarker(job));
        var end = lines.IndexOf(EndMarker(job));
        if (begin >= 0 && end > begin) lines.RemoveRange(begin, end - begin + 1);
        return lines.Count == 0 ? "" : string.Join("\n", lines) + "\n";
    }

    public static bool HasUserBlock(string crontab, string job) => crontab.Replace("\r\n", "\n").Split('\n').Contains(BeginMarker(job));

    /// <summary>One line per time of day: "0 1 * * 1,4 [user] command".</summary>
    public static IEnumerable<string> Lines(JobDefinition job, bool withUser) => job.Schedule.Times.Select(t =>
        string.Join(" ", t.Minutes.ToString(CultureInfo.InvariantCulture), t.Hours.ToString(CultureInfo.InvariantCulture), "*", "*",
            job.Schedule.Days is null ? "*" : string.Join(",", job.Schedule.Days.Select(d => ((int)d).ToString(CultureInfo.InvariantCulture))))
        + (withUser ? " " + job.RunAs : "") + " " + Command(job));

    /// <summary>The shell command of a line. cron turns an unescaped '%' into a newline, hence '\%'.</summary>
    public static string Command(JobDefinition job)
    {
        var seconds = ((long)job.TimeLimit.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var command = $"cd {PwshCommandLine.ShellQuote(job.WorkingDirectory)} && TZ={PwshCommandLine.ShellQuote(job.Schedule.IanaZone)} " +
            $"exec timeout {seconds} {string.Join(" ", PwshCommandLine.Argv(job).Select(PwshCommandLine.ShellQuote))} >> {PwshCommandLine.ShellQuote(job.LogPath)} 2>&1";
        return command.Replace("%", "\\%");
    }
}
