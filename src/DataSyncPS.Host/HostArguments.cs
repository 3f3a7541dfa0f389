namespace DataSyncPS.Host;

/// <summary>
/// The host's command line is pwsh's (<c>-File</c>, <c>-Command</c>, <c>-NoProfile</c>...), parsed by pwsh's
/// own console host, plus one option of the host's: <c>-Module &lt;path to DataSyncPS.psd1&gt;</c>, which must
/// come before <c>-File</c>/<c>-Command</c> and the script's path (what follows those belongs to the script).
/// </summary>
internal sealed record HostArguments(string? ModulePath, string[] ShellArguments)
{
    public static HostArguments Parse(string[] args)
    {
        string? module = null;
        var rest = new List<string>(args.Length);
        var i = 0;
        for (; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith('-') || StartsScript(a)) break;
            if (!a.TrimStart('-').Equals("module", StringComparison.OrdinalIgnoreCase)) { rest.Add(a); continue; }
            if (++i == args.Length) throw new ArgumentException("-Module needs the path of DataSyncPS.psd1.");
            module = args[i];
        }
        rest.AddRange(args.Skip(i));
        return new HostArguments(module, [.. rest]);
    }

    /// <summary>pwsh takes any prefix of -File and -Command (and of the encoded and with-args forms).</summary>
    private static bool StartsScript(string argument)
    {
        var name = argument.TrimStart('-').ToLowerInvariant();
        return name.Length > 0 && ("file".StartsWith(name) || "command".StartsWith(name) || "commandwithargs".StartsWith(name)
            || name is "cwa" or "e" or "ec" || "encodedcommand".StartsWith(name));
    }
}
