using System.Xml.Linq;
using DataSyncPS.Engine.Jobs;

namespace DataSyncPS.Engine.Tests.Jobs;

/// <summary>The task XML, checked against the rules of the Task Scheduler schema
/// (http://schemas.microsoft.com/windows/2004/02/mit/task) that can be checked without Windows.</summary>
public class TaskDefinitionXmlTests
{
    private static readonly XNamespace T = TaskDefinitionXml.Ns;

    private static readonly TimeZoneInfo SaoPaulo = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    private static XElement Task(JobDefinition job, TimeZoneInfo? machine = null) =>
        XDocument.Parse(TaskDefinitionXml.Text(TaskDefinitionXml.Build(job, JobFixtures.Now, machine ?? SaoPaulo))).Root!;

    private static JobDefinition Job(TempDirectory dir, string runAs = "SYSTEM", JobSchedule? schedule = null) =>
        JobFixtures.Nightly(JobScheduler.TaskScheduler, dir, runAs: runAs, schedule: schedule) with
        {
            PwshPath = @"C:\Program Files\PowerShell\7\pwsh.exe",
            ScriptPath = @"C:\DataSync\nightly.ps1",
            WorkingDirectory = @"C:\DataSync",
            LogPath = @"C:\ProgramData\DataSyncPS\logs\nightly.log",
        };

    [Fact]
    public void The_document_is_UTF16_task_XML_version_1_2_with_the_required_parts()
    {
        using var dir = new TempDirectory();
        var text = TaskDefinitionXml.Text(TaskDefinitionXml.Build(Job(dir), JobFixtures.Now, SaoPaulo));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-16\"?>", text, StringComparison.OrdinalIgnoreCase);
        var task = XDocument.Parse(text).Root!;
        Assert.Equal(T + "Task", task.Name);
        Assert.Equal("1.2", (string?)task.Attribute("version"));
        // Every element is in the task namespace (schtasks refuses a document with any other).
        Assert.All(task.DescendantsAndSelf(), e => Assert.Equal(T, e.Name.Namespace));
        Assert.Equal(["RegistrationInfo", "Triggers", "Principals", "Settings", "Actions"], task.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(@"\DataSyncPS\nightly", task.Element(T + "RegistrationInfo")!.Element(T + "URI")!.Value);
        // Actions: exactly one Exec, its context the single principal's id.
        var actions = task.Element(T + "Actions")!;
        Assert.Equal("Author", (string?)actions.Attribute("Context"));
        Assert.Equal("Author", (string?)task.Element(T + "Principals")!.Element(T + "Principal")!.Attribute("id"));
        Assert.Single(actions.Elements(T + "Exec"));
    }

    [Fact]
    public void A_daily_calendar_trigger_starts_at_01_00_local_time_when_the_machine_is_in_the_jobs_zone()
    {
        using var dir = new TempDirectory();
        var trigger = Assert.Single(Task(Job(dir)).Element(T + "Triggers")!.Elements());
        Assert.Equal("CalendarTrigger", trigger.Name.LocalName);
        // StartBoundary, Enabled, then the schedule: the schema's sequence.
        Assert.Equal(["StartBoundary", "Enabled", "ScheduleByDay"], trigger.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("2026-03-11T01:00:00", trigger.Element(T + "StartBoundary")!.Value); // no offset: local time, DST followed
        Assert.Equal("1", trigger.Element(T + "ScheduleByDay")!.Element(T + "DaysInterval")!.Value);
    }

    [Fact]
    public void On_a_machine_in_another_zone_StartBoundary_carries_the_jobs_offset()
    {
        using var dir = new TempDirectory();
        var trigger = Task(Job(dir), machine: TimeZoneInfo.Utc).Element(T + "Triggers")!.Element(T + "CalendarTrigger")!;
        Assert.Equal("2026-03-11T01:00:00-03:00", trigger.Element(T + "StartBoundary")!.Value);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 4, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(trigger.Element(T + "StartBoundary")!.Value));
    }

    [Fact]
    public void A_weekly_schedule_is_ScheduleByWeek_with_its_days_one_trigger_per_time()
    {
        using var dir = new TempDirectory();
        var schedule = new JobSchedule([TimeSpan.FromHours(1), new TimeSpan(13, 30, 0)], [DayOfWeek.Monday, DayOfWeek.Thursday], "America/Sao_Paulo");
        var triggers = Task(Job(dir, schedule: schedule)).Element(T + "Triggers")!.Elements(T + "CalendarTrigger").ToList();
        Assert.Equal(["2026-03-11T01:00:00", "2026-03-11T13:30:00"], triggers.Select(t => t.Element(T + "StartBoundary")!.Value));
        var week = triggers[0].Element(T + "ScheduleByWeek")!;
        Assert.Equal(["Monday", "Thursday"], week.Element(T + "DaysOfWeek")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("1", week.Element(T + "WeeksInterval")!.Value);
    }

    [Theory]
    [InlineData("SYSTEM", "S-1-5-18", "ServiceAccount", "HighestAvailable")]
    [InlineData(@"NT AUTHORITY\NETWORK SERVICE", "S-1-5-20", "ServiceAccount", "HighestAvailable")]
    [InlineData(@"CONTOSO\gmsa-etl$", @"CONTOSO\gmsa-etl$", "Password", "LeastPrivilege")]
    [InlineData(@"CONTOSO\svc-etl", @"CONTOSO\svc-etl", "S4U", "LeastPrivilege")]
    public void The_principal_runs_whether_logged_on_or_not_and_stores_no_password(string account, string userId, string logon, string runLevel)
    {
        using var dir = new TempDirectory();
        var principal = Task(Job(dir, runAs: account)).Element(T + "Principals")!.Element(T + "Principal")!;
        Assert.Equal(userId, principal.Element(T + "UserId")!.Value);
        Assert.Equal(logon, principal.Element(T + "LogonType")!.Value);
        Assert.Equal(runLevel, principal.Element(T + "RunLevel")!.Value);
        // InteractiveToken would run only while the account is logged on.
        Assert.NotEqual("InteractiveToken", principal.Element(T + "LogonType")!.Value);
    }

    [Fact]
    public void Settings_run_one_instance_at_a_time_within_a_time_limit_and_catch_up_missed_runs()
    {
        using var dir = new TempDirectory();
        var settings = Task(Job(dir) with { TimeLimit = TimeSpan.FromHours(2) }).Element(T + "Settings")!;
        Assert.Equal("IgnoreNew", settings.Element(T + "MultipleInstancesPolicy")!.Value);
        Assert.Equal("PT2H", settings.Element(T + "ExecutionTimeLimit")!.Value);
        Assert.Equal("true", settings.Element(T + "StartWhenAvailable")!.Value);
        Assert.Equal("false", settings.Element(T + "DisallowStartIfOnBatteries")!.Value);
        Assert.Equal("true", settings.Element(T + "Enabled")!.Value);
        Assert.Equal("PT12H", Task(Job(dir)).Element(T + "Settings")!.Element(T + "ExecutionTimeLimit")!.Value);
    }

    [Fact]
    public void The_action_runs_pwsh_through_cmd_appending_its_output_to_the_log()
    {
        using var dir = new TempDirectory();
        var exec = Task(Job(dir)).Element(T + "Actions")!.Element(T + "Exec")!;
        Assert.Equal(@"%SystemRoot%\System32\cmd.exe", exec.Element(T + "Command")!.Value);
        Assert.Equal("/d /c \"\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\" -NoProfile -NonInteractive -File C:\\DataSync\\nightly.ps1 -Table vendas >> C:\\ProgramData\\DataSyncPS\\logs\\nightly.log 2>&1\"",
            exec.Element(T + "Arguments")!.Value);
        Assert.Equal(@"C:\DataSync", exec.Element(T + "WorkingDirectory")!.Value);
    }

    [Theory]
    [InlineData("50%")]
    [InlineData("say \"hi\"")]
    public void Arguments_cmd_cannot_carry_are_refused(string argument)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SyncException>(() => TaskDefinitionXml.Build(Job(dir) with { Arguments = [argument] }, JobFixtures.Now, SaoPaulo));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
    }
}
