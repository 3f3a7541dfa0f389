using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace DataSyncPS.Engine.Jobs;

/// <summary>
/// A job as Task Scheduler task XML (schema http://schemas.microsoft.com/windows/2004/02/mit/task, version
/// 1.2): calendar triggers, a principal that runs whether anyone is logged on or not, one instance at a
/// time, a time limit, and cmd.exe appending pwsh's output to the log file (Task Scheduler keeps none).
/// </summary>
public static class TaskDefinitionXml
{
    public static readonly XNamespace Ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    /// <summary>Well-known service accounts: their SID (a UserId Task Scheduler takes in every language).</summary>
    private static readonly Dictionary<string, string> ServiceAccounts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SYSTEM"] = "S-1-5-18", [@"NT AUTHORITY\SYSTEM"] = "S-1-5-18", ["LocalSystem"] = "S-1-5-18", ["S-1-5-18"] = "S-1-5-18",
        ["LOCAL SERVICE"] = "S-1-5-19", [@"NT AUTHORITY\LOCAL SERVICE"] = "S-1-5-19", ["LocalService"] = "S-1-5-19", ["S-1-5-19"] = "S-1-5-19",
        ["NETWORK SERVICE"] = "S-1-5-20", [@"NT AUTHORITY\NETWORK SERVICE"] = "S-1-5-20", ["NetworkService"] = "S-1-5-20", ["S-1-5-20"] = "S-1-5-20",
    };

    public enum Logon { ServiceAccount, Password, S4U }

    /// <summary>SYSTEM and the service accounts: ServiceAccount. A group managed service account (name
    /// ending in '$'): Password, with no password stored (Windows fetches it from the domain). Any other
    /// account: S4U, which stores no password either (and has no Windows credentials on the network:
    /// database logins come from saved secrets).</summary>
    public static (string UserId, Logon Logon) Principal(string account) =>
        ServiceAccounts.TryGetValue(account, out var sid) ? (sid, Logon.ServiceAccount)
        : account.EndsWith('$') ? (account, Logon.Password)
        : (account, Logon.S4U);

    public static bool IsManagedServiceAccount(string account) => Principal(account).Logon == Logon.Password;

    /// <param name="now">The registration time: triggers start on the next day that has a run.</param>
    /// <param name="machineZone">The zone of the machine the task is for: StartBoundary is local time there
    /// (following its clock changes) when the job's zone is the same, else it carries the job zone's offset.</param>
    public static XDocument Build(JobDefinition job, DateTimeOffset now, TimeZoneInfo machineZone, string? moduleVersion = null)
    {
        CheckCmdSafe(job);
        var (userId, logon) = Principal(job.RunAs);
        var sameZone = machineZone.Id == job.Schedule.Zone.Id || (machineZone.HasIanaId != job.Schedule.Zone.HasIanaId && SameZone(machineZone, job.Schedule.Zone));
        var firstDay = TimeZoneInfo.ConvertTime(now, job.Schedule.Zone).Date.AddDays(1);

        var triggers = job.Schedule.Times.Select(t =>
        {
            var wall = firstDay + t;
            var boundary = sameZone
                ? wall.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
                : new DateTimeOffset(wall, job.Schedule.Zone.GetUtcOffset(wall)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            return new XElement(Ns + "CalendarTrigger",
                new XElement(Ns + "StartBoundary", boundary),
                new XElement(Ns + "Enabled", "true"),
                job.Schedule.Days is null
                    ? new XElement(Ns + "ScheduleByDay", new XElement(Ns + "DaysInterval", "1"))
                    : new XElement(Ns + "ScheduleByWeek",
                        new XElement(Ns + "DaysOfWeek", job.Schedule.Days.Select(d => new XElement(Ns + d.ToString()))),
                        new XElement(Ns + "WeeksInterval", "1")));
        });

        var task = new XElement(Ns + "Task", new XAttribute("version", "1.2"),
            new XElement(Ns + "RegistrationInfo",
                new XElement(Ns + "Author", "DataSyncPS Register-SyncJob" + (moduleVersion is null ? "" : " " + moduleVersion)),
                new XElement(Ns + "Description", job.Summary),
                new XElement(Ns + "URI", job.SchedulerName)),
            new XElement(Ns + "Triggers", triggers),
            new XElement(Ns + "Principals",
                new XElement(Ns + "Principal", new XAttribute("id", "Author"),
                    new XElement(Ns + "UserId", userId),
                    new XElement(Ns + "LogonType", logon.ToString()),
                    new XElement(Ns + "RunLevel", logon == Logon.ServiceAccount ? "HighestAvailable" : "LeastPrivilege"))),
            new XElement(Ns + "Settings",
                new XElement(Ns + "MultipleInstancesPolicy", "IgnoreNew"),
                new XElement(Ns + "DisallowStartIfOnBatteries", "false"),
                new XElement(Ns + "StopIfGoingOnBatteries", "false"),
                new XElement(Ns + "AllowHardTerminate", "true"),
                // A run missed while the machine was off starts when it is back, as systemd's Persistent=true.
                new XElement(Ns + "StartWhenAvailable", "true"),
                new XElement(Ns + "RunOnlyIfNetworkAvailable", "false"),
                new XElement(Ns + "IdleSettings",
                    new XElement(Ns + "StopOnIdleEnd", "false"),
                    new XElement(Ns + "RestartOnIdle", "false")),
                new XElement(Ns + "AllowStartOnDemand", "true"),
                new XElement(Ns + "Enabled", "true"),
                new XElement(Ns + "Hidden", "false"),
                new XElement(Ns + "RunOnlyIfIdle", "false"),
                new XElement(Ns + "WakeToRun", "false"),
                new XElement(Ns + "ExecutionTimeLimit", XmlConvert.ToString(job.TimeLimit)),
                new XElement(Ns + "Priority", "7")),
            new XElement(Ns + "Actions", new XAttribute("Context", "Author"),
                new XElement(Ns + "Exec",
                    new XElement(Ns + "Command", @"%SystemRoot%\System32\cmd.exe"),
                    new XElement(Ns + "Arguments", CmdArguments(job)),
                    new XElement(Ns + "WorkingDirectory", job.WorkingDirectory))));
        return new XDocument(new XDeclaration("1.0", "UTF-16", null), task);
    }

    public static string Text(XDocument document)
    {
        using var writer = new Utf16StringWriter();
        document.Save(writer);
        return writer.ToString();
    }

    /// <summary>cmd /c with the whole line in quotes (cmd strips the outer pair), output appended to the log;
    /// cmd's exit code is pwsh's, so Last Run Result tells the truth.</summary>
    public static string CmdArguments(JobDefinition job) =>
        "/d /c \"" + string.Join(" ", PwshCommandLine.Argv(job).Select(CmdQuote)) + " >> " + CmdQuote(job.LogPath) + " 2>&1\"";

    private static string CmdQuote(string word) =>
        word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '&' or '|' or '<' or '>' or '^' or '(' or ')') ? word : "\"" + word + "\"";

    /// <summary>cmd.exe cannot pass '"' inside a quoted word, and expands '%' anywhere.</summary>
    private static void CheckCmdSafe(JobDefinition job)
    {
        foreach (var word in PwshCommandLine.Argv(job).Append(job.LogPath))
            if (word.Contains('"') || word.Contains('%'))
                throw new SyncException(SyncErrorKind.InvalidArgument,
                    $"'{word}' cannot be passed through Task Scheduler's command line: it holds '\"' or '%'.", target: word);
    }

    private static bool SameZone(TimeZoneInfo a, TimeZoneInfo b) =>
        (TimeZoneInfo.TryConvertWindowsIdToIanaId(a.Id, out var ia) ? ia : a.Id) == (TimeZoneInfo.TryConvertWindowsIdToIanaId(b.Id, out var ib) ? ib : b.Id);

    private sealed class Utf16StringWriter : StringWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.Unicode;
    }
}
