namespace DataSyncPS.Host;

/// <summary>The host's command line, pwsh style: <c>-File script.ps1 [args]</c> or <c>-Command "..."</c>.</summary>
internal sealed record HostArguments(string? File, IReadOnlyList<string> FileArguments, string? Command, string? ModulePath)
{
    public const string Usage = """
        DataSyncPS.Host — runs PowerShell with the DataSyncPS module imported.
          DataSyncPS.Host -File script.ps1 [arguments...]
          DataSyncPS.Host -Command "Get-Command -Module DataSyncPS"
          DataSyncPS.Host -Command -            (reads the command from standard input)
        Options: -Module <path to DataSyncPS.psd1>  (default: the DataSyncPS folder next to the host)
                 -NoProfile, -NonInteractive, -NoLogo  (accepted for compatibility; always so)
        """;

    public static HostArguments Parse(string[] args)
    {
        string? file = null, command = null, module = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (file is not null) { rest.Add(a); continue; }
            switch (a.ToLowerInvariant())
            {
                case "-file" or "-f":
                    file = Next(args, ref i, a);
                    break;
                case "-command" or "-c":
                    command = string.Join(' ', args.Skip(i + 1));
                    if (command.Length == 0) throw new ArgumentException("-Command needs a command.");
                    i = args.Length;
                    break;
                case "-module":
                    module = Next(args, ref i, a);
                    break;
                case "-noprofile" or "-noninteractive" or "-nologo" or "-noninteractive":
                    break;
                default:
                    if (a.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)) { file = a; break; }
                    throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }
        if (file is null && command is null) throw new ArgumentException("Give -File or -Command.");
        return new HostArguments(file, rest, command, module);
    }

    private static string Next(string[] args, ref int i, string name) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value.");

    /// <summary>The script to run: the command, or a call of the file with its arguments where
    /// -Name tokens stay parameter names and everything else is a literal string.</summary>
    public string Script()
    {
        // pwsh -Command exits 1 when the last statement failed; the added line makes this host do the same.
        if (Command is not null) return (Command == "-" ? Console.In.ReadToEnd() : Command) + "\nif (-not $?) { $host.SetShouldExit(1) }";
        var parts = new List<string> { "&", Literal(Path.GetFullPath(File!)) };
        foreach (var a in FileArguments)
            parts.Add(a.Length > 1 && a[0] == '-' && char.IsLetter(a[1]) && a.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ':') ? a : Literal(a));
        // exit N inside a script run with & only sets $LASTEXITCODE; pwsh -File makes it the process's code.
        return "$global:LASTEXITCODE = 0\n" + string.Join(' ', parts) + "\n$host.SetShouldExit([int]$global:LASTEXITCODE)";
    }

    private static string Literal(string s) => "'" + s.Replace("'", "''") + "'";
}
