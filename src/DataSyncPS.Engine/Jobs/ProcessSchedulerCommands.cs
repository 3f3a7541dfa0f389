using System.Diagnostics;

namespace DataSyncPS.Engine.Jobs;

/// <summary>Runs a scheduler program for real, argv as given (no shell), and waits for it.</summary>
public sealed class ProcessSchedulerCommands : ISchedulerCommands
{
    public SchedulerCommandResult Run(SchedulerCommand command)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = command.Input is not null,
            UseShellExecute = false,
        };
        foreach (var a in command.Arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            if (command.Input is not null)
            {
                process.StandardInput.Write(command.Input);
                process.StandardInput.Close();
            }
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new SchedulerCommandResult(process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SyncException(SyncErrorKind.ProviderMissing, $"'{command.FileName}' cannot be started: {ex.Message}", ex, command.FileName);
        }
    }
}

/// <summary>For tests and packaging (DATASYNCPS_JOB_ROOT): appends each command line to a file and
/// answers as a scheduler would, so that nothing reaches the real one; a user crontab is a file beside it.</summary>
public sealed class RecordingSchedulerCommands(string logPath) : ISchedulerCommands
{
    public SchedulerCommandResult Run(SchedulerCommand command)
    {
        var folder = Path.GetDirectoryName(logPath)!;
        Directory.CreateDirectory(folder);
        File.AppendAllText(logPath, command + Environment.NewLine);
        // The user's crontab is kept in a file beside the log, so that blocks can be added and removed.
        var crontab = Path.Combine(folder, "crontab");
        if (command is { FileName: "crontab", Arguments: ["-l"] })
            return File.Exists(crontab) ? new SchedulerCommandResult(0, File.ReadAllText(crontab), "") : new SchedulerCommandResult(1, "", "no crontab for user");
        if (command is { FileName: "crontab", Arguments: ["-"], Input: { } text }) File.WriteAllText(crontab, text);
        return new SchedulerCommandResult(0, "", "");
    }
}
