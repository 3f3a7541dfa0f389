using System.Text.RegularExpressions;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// The bundled host is pwsh's own console host with the module imported, so a scheduler sees from it
/// what it would see from pwsh: the same scripts and commands run through both end with the same exit
/// code, with stderr empty or not alike and the same output. (Stop signals are where the host goes
/// further than pwsh on purpose: see the signal test above and the README's Architecture section.)
/// </summary>
public partial class HostTests
{
    private static readonly string NativeExit5 = OperatingSystem.IsWindows() ? "cmd /c exit 5" : "sh -c 'exit 5'";

    /// <summary>Name → the script (null: none), the arguments after -NoProfile ({script} is its path), stdin.</summary>
    private static readonly Dictionary<string, (string? Script, string[] Args, string Input)> PwshCases = new()
    {
        ["file: normal end"] = ("'done'", ["-File", "{script}"], ""),
        ["file: exit 3"] = ("'working'\nexit 3", ["-File", "{script}"], ""),
        ["file: throw"] = ("'working'\nthrow 'the job failed'\n'not reached'", ["-File", "{script}"], ""),
        ["file: missing command"] = ("Get-NoSuchCommand\n'after'", ["-File", "{script}"], ""),
        ["file: missing command, CmdletBinding and ErrorActionPreference Stop"] =
            ("[CmdletBinding()]\nparam()\n$ErrorActionPreference = 'Stop'\nGet-NoSuchCommand\n'not reached'", ["-File", "{script}"], ""),
        ["file: Write-Error, non-terminating"] = ("Write-Error 'soft failure'\n'after'", ["-File", "{script}"], ""),
        ["file: parse error"] = ("'before'\nif ($true {\n", ["-File", "{script}"], ""),
        ["file: native command's exit code at the end"] = ($"'before'\n{NativeExit5}", ["-File", "{script}"], ""),
        ["file: exit $LASTEXITCODE of a native command"] = ($"{NativeExit5}\nexit $LASTEXITCODE", ["-File", "{script}"], ""),
        ["file: parameters bound"] = ("param([string] $Name, [int] $Count) \"hello $Name $Count\"", ["-File", "{script}", "-Name", "São Paulo", "-Count", "2"], ""),
        ["file: parameter that does not convert"] = ("param([int] $Count) \"count $Count\"", ["-File", "{script}", "-Count", "abc"], ""),
        ["file: unknown parameter, CmdletBinding"] = ("[CmdletBinding()]\nparam([int] $Count)\n\"count $Count\"", ["-File", "{script}", "-Nope", "1"], ""),
        ["file: script that does not exist"] = (null, ["-File", "no-such-script.ps1"], ""),
        ["command: normal end"] = (null, ["-Command", "'done'"], ""),
        ["command: exit 3"] = (null, ["-Command", "'working'; exit 3"], ""),
        ["command: throw"] = (null, ["-Command", "throw 'the job failed'"], ""),
        ["command: missing command last"] = (null, ["-Command", "Get-NoSuchCommand"], ""),
        ["command: missing command, then more"] = (null, ["-Command", "Get-NoSuchCommand; 'after'"], ""),
        ["command: missing command, ErrorActionPreference Stop"] = (null, ["-Command", "$ErrorActionPreference = 'Stop'; Get-NoSuchCommand; 'not reached'"], ""),
        ["command: Write-Error last"] = (null, ["-Command", "Write-Error 'soft failure'"], ""),
        ["command: Write-Error, then more"] = (null, ["-Command", "Write-Error 'soft failure'; 'after'"], ""),
        ["command: parse error"] = (null, ["-Command", "if ($true {"], ""),
        ["command: native command's exit code last"] = (null, ["-Command", NativeExit5], ""),
        ["command: native command, then more"] = (null, ["-Command", NativeExit5 + "; 'after'"], ""),
        ["command: - reads stdin, exit 4"] = (null, ["-Command", "-"], "'from stdin'\nexit 4\n"),
        ["command: - reads stdin, throw"] = (null, ["-Command", "-"], "'from stdin'\nthrow 'the job failed'\n"),
        ["command line: -Command without a command"] = (null, ["-Command"], ""),
        ["command line: unknown option"] = (null, ["-NoSuchOption"], ""),
    };

    public static TheoryData<string> PwshCaseNames => [.. PwshCases.Keys];

    [Theory]
    [MemberData(nameof(PwshCaseNames))]
    public void Host_ends_as_pwsh_does(string name)
    {
        var pwsh = RealPwsh.Require();
        var (script, arguments, input) = PwshCases[name];
        using var dir = new TempDirectory();
        var path = dir.Combine("job.ps1");
        if (script is not null) File.WriteAllText(path, script);
        string[] args = ["-NoProfile", .. arguments.Select(a => a.Replace("{script}", path))];

        var real = Task.Run(() => BuiltHost.Run(pwsh, args, TimeSpan.FromMinutes(2), input));
        var ours = host.Host(args, input);
        var theirs = real.Result;

        var both = $"pwsh {string.Join(' ', args)}\n  pwsh: {theirs.Code}\n{theirs.Output}{theirs.Error}\n  host: {ours.Code}\n{ours.Output}{ours.Error}";
        Assert.True(ours.Code == theirs.Code, $"exit codes differ:\n{both}");
        Assert.True((ours.Error.Length == 0) == (theirs.Error.Length == 0), $"stderr is empty in one only:\n{both}");
        if (theirs.Code != 64) // pwsh's usage text names its own executable
            Assert.True(Plain(ours.Output) == Plain(theirs.Output), $"stdout differs:\n{both}");
        // What the host adds: a log of a scheduled run gets plain text, where pwsh colours its error lines.
        Assert.False(ours.Error.Contains('\u001b'), $"colour codes on a redirected stderr:\n{both}"); // ordinal: culture-aware search skips ESC
    }

    private static string Plain(string text) => Regex.Replace(text, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "");
}
