using System.Management.Automation.Language;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>
/// The scripts run in full by CI in real pwsh (build.ps1 -Task Test runs tests/pester, which runs the
/// examples) are also kept from rotting here, where a clone without pwsh runs only dotnet test: they parse with the PowerShell parser, the Pester files keep Pester 5's shape, build.ps1
/// keeps its tasks and stock-pwsh commands, and every script calls the module's cmdlets with parameters
/// they have.
/// </summary>
public class PesterScriptTests
{
    public static TheoryData<string> Scripts => new(RepositoryFiles.Scripts());

    public static TheoryData<string> PesterFiles => new(RepositoryFiles.Scripts().Where(s => s.EndsWith(".Tests.ps1", StringComparison.Ordinal)));

    private static ScriptBlockAst Parse(string relative, out ParseError[] errors) =>
        Parser.ParseFile(RepositoryFiles.PathOf(relative), out _, out errors);

    [Fact]
    public void The_guarded_scripts_are_all_there()
    {
        var scripts = RepositoryFiles.Scripts().ToList();
        Assert.Contains("build.ps1", scripts);
        Assert.Contains("tests/pester/ConnectSyncSource.Tests.ps1", scripts);
        Assert.Contains("tests/pester/ExportSyncBatch.Tests.ps1", scripts);
        Assert.Contains("tests/pester/SyncSecret.Tests.ps1", scripts);
        Assert.Contains("tests/pester/SendDataSnapBatch.Tests.ps1", scripts);
        Assert.Contains("tests/pester/SyncState.Tests.ps1", scripts);
        Assert.Contains("tests/pester/Module.Tests.ps1", scripts);
        Assert.Contains("tests/pester/Examples.Tests.ps1", scripts);
        Assert.Contains("tests/pester/GalleryInstall.Tests.ps1", scripts);
        Assert.Contains("examples/quickstart.ps1", scripts);
        Assert.Contains("examples/sync-all-tables.ps1", scripts);
        Assert.Contains("examples/scheduled-job.ps1", scripts);
        Assert.Contains("tests/pester/SyncJob.Tests.ps1", scripts);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_parses_without_errors(string script)
    {
        Parse(script, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{script}:{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Theory]
    [MemberData(nameof(PesterFiles))]
    public void Pester_file_keeps_Pester_5_shape(string script)
    {
        var ast = Parse(script, out _);
        // Pester 5 runs loose code during discovery, not with the tests: only blocks at the top.
        var topLevel = ast.EndBlock.Statements.Select(s => (s as PipelineAst)?.PipelineElements.FirstOrDefault() is CommandAst c ? c.GetCommandName() : s.GetType().Name).ToList();
        Assert.All(topLevel, name => Assert.Contains(name, new[] { "BeforeAll", "AfterAll", "BeforeDiscovery", "Describe" }));
        Assert.Contains("BeforeAll", topLevel);
        Assert.Contains("Describe", topLevel);

        // Pester 5 assertions are parameters (Should -Be); Pester 3's bare operators (Should Be) are gone.
        var shoulds = ast.FindAll(a => a is CommandAst c && c.GetCommandName() == "Should", true).Cast<CommandAst>().ToList();
        Assert.NotEmpty(shoulds);
        Assert.All(shoulds, s => Assert.True(s.CommandElements.Count > 1 && s.CommandElements[1] is CommandParameterAst,
            $"{script}:{s.Extent.StartLineNumber}: '{s.Extent.Text}' is not Pester 5 syntax"));
    }

    [Fact]
    public void Build_script_declares_its_tasks_and_configurations()
    {
        var parameters = Parse("build.ps1", out _).ParamBlock!.Parameters;
        Assert.Equal(["Clean", "Build", "Test", "Pester", "Package", "FetchOracle"], ValidateSet(parameters, "Task"));
        Assert.Equal(["Debug", "Release"], ValidateSet(parameters, "Configuration"));
        Assert.Equal("'Build'", parameters.Single(p => p.Name.VariablePath.UserPath == "Task").DefaultValue?.Extent.Text);
        Assert.Equal("'Release'", parameters.Single(p => p.Name.VariablePath.UserPath == "Configuration").DefaultValue?.Extent.Text);
    }

    [Fact]
    public void Build_script_uses_only_commands_stock_pwsh_7_4_has()
    {
        // A command from a module one must install first (platyPS, InvokeBuild...) would break
        // "needs only the .NET SDK and pwsh". Add a command here only if stock pwsh 7.4 ships it.
        string[] stock =
        [
            "dotnet", "Add-Type", "Copy-Item", "ForEach-Object", "Get-ChildItem", "Get-Module", "Get-PSResourceRepository",
            "Import-PowerShellDataFile", "Invoke-RestMethod", "Invoke-WebRequest", "Join-Path", "Move-Item", "New-Item", "Out-Null",
            "Publish-PSResource", "Register-PSResourceRepository", "Remove-Item", "Resolve-Path", "Select-Object", "Set-Item", "Set-StrictMode", "Sort-Object",
            "Test-ModuleManifest", "Test-Path", "Unregister-PSResourceRepository", "Where-Object", "Write-Host", "Write-Warning",
        ];
        var ast = Parse("build.ps1", out _);
        var own = ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name);
        var used = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>()
            .Select(c => c.GetCommandName()).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
        Assert.Empty(used.Except(stock.Concat(own), StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Scripts_call_the_module_cmdlets_only_with_parameters_they_have()
    {
        using var rs = new ModuleRunspace();
        var names = CmdletParameterNames.Load(rs);
        var unknown = RepositoryFiles.Scripts().SelectMany(s => names.Unknown(Parse(s, out _)).Select(u => $"{s}: {u}")).ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    private static string[] ValidateSet(IEnumerable<ParameterAst> parameters, string name) =>
        parameters.Single(p => p.Name.VariablePath.UserPath == name).Attributes.OfType<AttributeAst>()
            .Single(a => a.TypeName.Name == "ValidateSet").PositionalArguments.Select(a => a.SafeGetValue()!.ToString()!).ToArray();
}
