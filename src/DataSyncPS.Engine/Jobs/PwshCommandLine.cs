namespace DataSyncPS.Engine.Jobs;

/// <summary>How every scheduler starts a job: pwsh with no profile and no prompts, the script by -File
/// (so its exit code is the run's, DESIGN contract 9), then the script's own arguments.</summary>
public static class PwshCommandLine
{
    public static IReadOnlyList<string> Argv(JobDefinition job) =>
        [job.PwshPath, "-NoProfile", "-NonInteractive", "-File", job.ScriptPath, .. job.Arguments];

    /// <summary>POSIX shell quoting: single quotes, a quote inside as '\''.</summary>
    public static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '=' or '+' or ',' or '@')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
