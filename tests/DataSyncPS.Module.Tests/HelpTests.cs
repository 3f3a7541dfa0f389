using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Xml.Linq;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// Help that cannot drift from the code. PSScriptAnalyzer's documentation test, grown: every exported
/// cmdlet has complete help as Get-Help shows it, and every help entry names an exported cmdlet; beyond
/// that, the MAML's facts about each parameter (type, required, position, pipeline input, aliases,
/// defaults, values) are compared with the cmdlets' own metadata, and the examples must call real
/// parameters. Each test lists every problem it finds, not just the first.
/// </summary>
public class HelpTests
{
    private static readonly XNamespace Cmd = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static string ModuleDirectory => Path.GetDirectoryName(ModuleRunspace.ModuleManifest)!;

    private static IEnumerable<XElement> HelpCommands() =>
        XDocument.Load(Path.Combine(ModuleDirectory, "en-US", "DataSyncPS.dll-Help.xml")).Root!.Elements(Cmd + "command");

    private static string NameOf(XElement command) => command.Element(Cmd + "details")!.Element(Cmd + "name")!.Value.Trim();

    private static List<string> Exported(ModuleRunspace rs) =>
        rs.Run("(Get-Module DataSyncPS).ExportedCmdlets.Keys").AssertNoErrors().Output.Select(o => o.ToString()).Order().ToList();

    [Fact]
    public void Every_help_entry_names_an_exported_cmdlet_and_every_exported_cmdlet_has_one()
    {
        using var rs = new ModuleRunspace();
        var documented = HelpCommands().Select(NameOf).ToList();
        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(Exported(rs), documented.Order().ToList());
    }

    [Fact]
    public void Get_Help_shows_a_synopsis_a_description_examples_and_every_parameter_described()
    {
        using var rs = new ModuleRunspace();
        var problems = new List<string>();
        foreach (var name in Exported(rs))
        {
            var help = rs.Run("""
                $help = Get-Help $name -Full
                [pscustomobject]@{
                    Synopsis    = "$($help.Synopsis)".Trim()
                    Description = (@($help.description) | ForEach-Object Text) -join ''
                    Examples    = @($help.examples.example | ForEach-Object { [pscustomobject]@{ Code = "$($_.code)"; Remarks = (@($_.remarks) | ForEach-Object Text) -join '' } })
                    Parameters  = @($help.parameters.parameter | ForEach-Object { [pscustomobject]@{ Name = "$($_.name)"; Description = (@($_.description) | ForEach-Object Text) -join '' } })
                    Expected    = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters })
                }
                """, new() { ["name"] = name }).AssertNoErrors().Output.Single();

            // Without MAML, Get-Help makes a synopsis of the syntax and has no description.
            var synopsis = Text(help, "Synopsis");
            if (synopsis.Length == 0 || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase)) problems.Add($"{name}: no synopsis");
            if (string.IsNullOrWhiteSpace(Text(help, "Description"))) problems.Add($"{name}: no description");

            var examples = Items(help, "Examples");
            if (examples.Count < 3) problems.Add($"{name}: {examples.Count} example(s), at least 3 wanted");
            foreach (var (example, i) in examples.Select((e, i) => (e, i + 1)))
            {
                if (!Text(example, "Code").StartsWith("PS> ", StringComparison.Ordinal)) problems.Add($"{name} example {i}: the code does not start with a 'PS> ' command");
                if (string.IsNullOrWhiteSpace(Text(example, "Remarks"))) problems.Add($"{name} example {i}: no sentence saying what it does");
            }

            var described = Items(help, "Parameters").ToDictionary(p => Text(p, "Name"), p => Text(p, "Description"), StringComparer.OrdinalIgnoreCase);
            var expected = Items(help, "Expected").Select(e => e.ToString()).ToList();
            foreach (var parameter in expected)
            {
                if (!described.TryGetValue(parameter, out var text)) problems.Add($"{name} -{parameter}: not in the help");
                else if (string.IsNullOrWhiteSpace(text)) problems.Add($"{name} -{parameter}: no description");
            }
            foreach (var extra in described.Keys.Except(expected, StringComparer.OrdinalIgnoreCase))
                problems.Add($"{name} -{extra}: in the help but not a parameter");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_parameter_facts_match_the_cmdlet_metadata()
    {
        using var rs = new ModuleRunspace();
        var metadata = ParameterMetadata(rs);
        var problems = new List<string>();
        foreach (var command in HelpCommands())
        {
            var name = NameOf(command);
            var sets = metadata.Where(m => m.Cmdlet == name).GroupBy(m => m.Set).ToList();

            // One syntax item per parameter set, matched by the parameters it lists.
            var items = command.Element(Cmd + "syntax")!.Elements(Cmd + "syntaxItem").ToList();
            if (items.Count != sets.Count) problems.Add($"{name}: {items.Count} syntax item(s) for {sets.Count} parameter set(s)");
            foreach (var item in items)
            {
                var listed = item.Elements(Cmd + "parameter").ToList();
                var set = sets.FirstOrDefault(s => s.Select(m => m.Name).Order().SequenceEqual(listed.Select(ParameterName).Order()));
                if (set is null)
                {
                    problems.Add($"{name}: no parameter set has exactly the syntax item's parameters {string.Join(", ", listed.Select(ParameterName))}");
                    continue;
                }
                foreach (var p in listed) Compare($"{name} [{set.Key}] -{ParameterName(p)}", p, set.Single(m => m.Name == ParameterName(p)), problems);
            }

            // The parameters section: required when required in every set; position and pipeline input
            // as in the default set (or the first set that has the parameter), as Get-Help shows them.
            var section = command.Element(Cmd + "parameters")!.Elements(Cmd + "parameter").ToList();
            foreach (var group in metadata.Where(m => m.Cmdlet == name).GroupBy(m => m.Name))
            {
                var entry = section.FirstOrDefault(p => ParameterName(p) == group.Key);
                if (entry is null) { problems.Add($"{name} -{group.Key}: missing from the parameters section"); continue; }
                var shown = group.FirstOrDefault(m => m.IsDefault) ?? group.First();
                Compare($"{name} -{group.Key}", entry, shown with { Required = group.All(m => m.Required) }, problems);
            }
            foreach (var extra in section.Select(ParameterName).Except(metadata.Where(m => m.Cmdlet == name).Select(m => m.Name)))
                problems.Add($"{name} -{extra}: documented but not a parameter");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_defaults_are_the_cmdlets_defaults()
    {
        using var rs = new ModuleRunspace();
        // A fresh cmdlet object holds the defaults its properties are initialised with.
        var defaults = rs.Run("""
            foreach ($command in Get-Command -Module DataSyncPS -CommandType Cmdlet) {
                $instance = [Activator]::CreateInstance($command.ImplementingType)
                foreach ($parameter in $command.Parameters.Values) {
                    # A parameter mandatory wherever it appears has no default to document.
                    if (@($parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0) { continue }
                    $name = $parameter.Name
                    $property = $command.ImplementingType.GetProperty($name)
                    if ($property) { "$($command.Name)|$name|$([System.Convert]::ToString($property.GetValue($instance), [cultureinfo]::InvariantCulture))" }
                }
            }
            """).AssertNoErrors().Output.Select(o => o.ToString().Split('|')).ToList();
        Assert.NotEmpty(defaults);
        var problems = new List<string>();
        foreach (var (cmdlet, parameter, value) in defaults.Select(d => (d[0], d[1], d[2])))
        {
            // Null and zero mean "not given": the help may explain what happens then in words.
            if (value is "" or "0") continue;
            var entry = HelpCommands().Single(c => NameOf(c) == cmdlet).Element(Cmd + "parameters")!
                .Elements(Cmd + "parameter").SingleOrDefault(p => ParameterName(p) == parameter);
            var documented = entry?.Element(Dev + "defaultValue")?.Value.Trim() ?? "";
            if (!documented.StartsWith(value, StringComparison.Ordinal)) problems.Add($"{cmdlet} -{parameter}: the default is {value}, the help says '{documented}'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_outputs_are_the_cmdlets_output_types()
    {
        using var rs = new ModuleRunspace();
        foreach (var command in HelpCommands())
        {
            var declared = rs.Run("(Get-Command $n).OutputType.Name", new() { ["n"] = NameOf(command) }).AssertNoErrors().Output.Select(o => o.ToString());
            var documented = command.Element(Cmd + "returnValues")!.Elements(Cmd + "returnValue").Select(r => r.Element(Dev + "type")!.Element(Maml + "name")!.Value.Trim());
            Assert.Equal(declared.Order(), documented.Order());
        }
    }

    [Fact]
    public void Help_examples_parse_and_call_only_parameters_the_cmdlets_have()
    {
        using var rs = new ModuleRunspace();
        var parameters = CmdletParameterNames.Load(rs);
        var problems = new List<string>();
        foreach (var command in HelpCommands())
        {
            foreach (var (code, i) in command.Descendants(Cmd + "example").Select((e, i) => (e.Element(Dev + "code")!.Value, i + 1)))
            {
                // The commands of an example are its "PS> " lines and their ">> " continuations; the rest is output.
                var script = string.Join("\n", code.Split('\n')
                    .Where(l => l.StartsWith("PS> ", StringComparison.Ordinal) || l.StartsWith(">>", StringComparison.Ordinal))
                    .Select(l => l.StartsWith("PS> ", StringComparison.Ordinal) ? l[4..] : l[2..]));
                var ast = Parser.ParseInput(script, out _, out var errors);
                var where = $"{NameOf(command)} example {i}";
                problems.AddRange(errors.Select(e => $"{where}: {e.Message}"));
                problems.AddRange(parameters.Unknown(ast).Select(u => $"{where}: {u}"));
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_about_topic_ships_in_the_module_and_Get_Help_finds_it()
    {
        Assert.True(File.Exists(Path.Combine(ModuleDirectory, "en-US", "about_DataSyncPS.help.txt")));
        using var rs = new ModuleRunspace();
        var text = string.Join("\n", rs.Run("Get-Help about_DataSyncPS").AssertNoErrors().Output.Select(o => o.ToString()));
        Assert.Contains("about_DataSyncPS", text);
        Assert.Contains("WATERMARKS AND KEYSET", text);
        Assert.Contains("DATASYNCPS_HOME", text);
    }

    private static string Text(PSObject o, string property) => o.Properties[property]?.Value?.ToString() ?? "";

    private static List<PSObject> Items(PSObject o, string property) =>
        o.Properties[property]?.Value is { } v ? LanguagePrimitives.GetEnumerable(v)?.Cast<object>().Select(PSObject.AsPSObject).ToList() ?? [] : [];

    private static string ParameterName(XElement parameter) => parameter.Element(Maml + "name")!.Value.Trim();

    private static void Compare(string where, XElement help, Meta code, List<string> problems)
    {
        void Check(string what, string documented, string actual)
        {
            if (!string.Equals(documented, actual, StringComparison.OrdinalIgnoreCase)) problems.Add($"{where}: {what} is '{actual}', the help says '{documented}'");
        }
        Check("required", (string?)help.Attribute("required") ?? "", code.Required ? "true" : "false");
        Check("position", (string?)help.Attribute("position") ?? "", code.Position == int.MinValue ? "named" : code.Position.ToString(CultureInfo.InvariantCulture));
        Check("pipeline input", (string?)help.Attribute("pipelineInput") ?? "", (code.ByValue, code.ByName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        });
        Check("aliases", (string?)help.Attribute("aliases") ?? "", code.Aliases.Length == 0 ? "none" : string.Join(", ", code.Aliases));
        Check("type", help.Element(Dev + "type")?.Element(Maml + "name")?.Value.Trim() ?? "", code.Type);
        if (code.Values.Length > 0)
            Check("values", string.Join(", ", help.Descendants(Cmd + "parameterValueGroup").Elements(Cmd + "parameterValue").Select(v => v.Value.Trim())), string.Join(", ", code.Values));
    }

    private sealed record Meta(string Cmdlet, string Set, bool IsDefault, string Name, bool Required, int Position, bool ByValue, bool ByName, string[] Aliases, string Type, string[] Values);

    private static List<Meta> ParameterMetadata(ModuleRunspace rs) =>
        rs.Run("""
            foreach ($command in Get-Command -Module DataSyncPS -CommandType Cmdlet) {
                foreach ($set in $command.ParameterSets) {
                    foreach ($p in $set.Parameters) {
                        if ($p.Name -in [System.Management.Automation.Cmdlet]::CommonParameters) { continue }
                        [pscustomobject]@{
                            Cmdlet = $command.Name; Set = $set.Name; IsDefault = $set.IsDefault; Name = $p.Name
                            Required = $p.IsMandatory; Position = $p.Position; ByValue = $p.ValueFromPipeline
                            ByName = $p.ValueFromPipelineByPropertyName; Aliases = @($p.Aliases); Type = $p.ParameterType.FullName
                            Values = @(if ($p.ParameterType.IsEnum) { [enum]::GetNames($p.ParameterType) })
                        }
                    }
                }
            }
            """).AssertNoErrors().Output.Select(m => new Meta(
                Text(m, "Cmdlet"), Text(m, "Set"), (bool)m.Properties["IsDefault"].Value, Text(m, "Name"), (bool)m.Properties["Required"].Value,
                (int)m.Properties["Position"].Value, (bool)m.Properties["ByValue"].Value, (bool)m.Properties["ByName"].Value,
                Items(m, "Aliases").Select(a => a.ToString()).ToArray(), Text(m, "Type"), Items(m, "Values").Select(v => v.ToString()).ToArray())).ToList();
}
