using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace DataSyncPS.Host;

/// <summary>Writes what PowerShell shows to the console, pwsh style. Progress is drawn on stderr only
/// when it is a terminal, so logs of scheduled runs stay clean. Prompts fail: nobody is there to answer.</summary>
internal sealed class ConsoleUserInterface : PSHostUserInterface
{
    private readonly ConsoleRawUserInterface _raw = new();
    private readonly bool _drawProgress = !Console.IsErrorRedirected;
    // Logs of scheduled runs and CI get plain text, not the formatter's ANSI colour codes.
    private readonly bool _plain = Console.IsOutputRedirected;
    private static readonly System.Text.RegularExpressions.Regex Ansi = new(@"\x1b\[[0-9;?]*[A-Za-z]", System.Text.RegularExpressions.RegexOptions.Compiled);
    private int _progressWidth;

    public override PSHostRawUserInterface RawUI => _raw;

    public override void Write(string value) => Out(value);
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value);
    public override void WriteLine(string value) => Out(value + Environment.NewLine);
    public override void WriteErrorLine(string value) { ClearProgress(); Console.Error.WriteLine(Console.IsErrorRedirected ? Ansi.Replace(value, "") : value); }
    public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);
    public override void WriteInformation(InformationRecord record) { }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        if (!_drawProgress) return;
        if (record.RecordType == ProgressRecordType.Completed) { ClearProgress(); return; }
        var line = $"{record.Activity}: {record.StatusDescription}";
        var width = Math.Max(20, _raw.BufferSize.Width - 1);
        if (line.Length > width) line = line[..width];
        Console.Error.Write("\r" + line.PadRight(_progressWidth));
        _progressWidth = line.Length;
    }

    public override string ReadLine() => throw NotInteractive();
    public override SecureString ReadLineAsSecureString() => throw NotInteractive();
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive();

    /// <summary>-Confirm and ConfirmImpact prompts: with no one to answer, the answer is No.</summary>
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        WriteLine($"{caption}{Environment.NewLine}{message}");
        var no = choices.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Label.Replace("&", "").StartsWith("No", StringComparison.OrdinalIgnoreCase));
        WriteLine("(non-interactive host: answered No)");
        return no.c is null ? defaultChoice : no.i;
    }

    private void Out(string text)
    {
        ClearProgress();
        Console.Out.Write(_plain ? Ansi.Replace(text, "") : text);
    }

    private void ClearProgress()
    {
        if (_progressWidth == 0) return;
        Console.Error.Write("\r" + new string(' ', _progressWidth) + "\r");
        _progressWidth = 0;
    }

    private static PSInvalidOperationException NotInteractive() =>
        new("DataSyncPS.Host is not interactive: pass values as parameters (for credentials, a PSCredential or a saved secret).");
}
