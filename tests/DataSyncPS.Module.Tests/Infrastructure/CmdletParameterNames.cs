using System.Management.Automation;
using System.Management.Automation.Language;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>The parameter names and aliases of the module's cmdlets, read from the imported module, and
/// a check that script text calls those cmdlets with nothing else: a renamed parameter then fails the
/// test of every example and script that still uses the old name.</summary>
public sealed class CmdletParameterNames
{
    private readonly Dictionary<string, HashSet<string>> _names;

    private CmdletParameterNames(Dictionary<string, HashSet<string>> names) => _names = names;

    public IReadOnlyCollection<string> Cmdlets => _names.Keys;

    public static CmdletParameterNames Load(ModuleRunspace rs)
    {
        var rows = rs.Run("""
            foreach ($command in Get-Command -Module DataSyncPS -CommandType Cmdlet) {
                foreach ($parameter in $command.Parameters.Values) {
                    foreach ($name in @($parameter.Name) + @($parameter.Aliases)) { "$($command.Name)|$name" }
                }
            }
            """).AssertNoErrors().Output.Select(o => o.ToString().Split('|'));
        var names = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            if (!names.TryGetValue(row[0], out var set)) names[row[0]] = set = new(StringComparer.OrdinalIgnoreCase);
            set.Add(row[1]);
        }
        return new CmdletParameterNames(names);
    }

    /// <summary>"Export-SyncBatch -Tabel" for every parameter a call of our cmdlets names that the cmdlet
    /// does not have (PowerShell's prefix matching is not relied on: scripts spell names out).</summary>
    public IEnumerable<string> Unknown(Ast script) =>
        script.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
            .Where(c => c.GetCommandName() is { } n && _names.ContainsKey(n))
            .SelectMany(c => c.CommandElements.OfType<CommandParameterAst>()
                .Where(p => !_names[c.GetCommandName()].Contains(p.ParameterName))
                .Select(p => $"{c.GetCommandName()} -{p.ParameterName} (line {p.Extent.StartLineNumber})"));
}
