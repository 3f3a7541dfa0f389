using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>The module folder a user installs: manifest, exports, formats, version.</summary>
public class ManifestTests
{
    [Fact]
    public void Manifest_passes_Test_ModuleManifest_and_targets_PowerShell_7_4_Core()
    {
        using var rs = new ModuleRunspace(import: false);
        var r = rs.Run("Test-ModuleManifest -Path $path", new Dictionary<string, object?> { ["path"] = ModuleRunspace.ModuleManifest }).AssertNoErrors();
        var info = r.Single<PSModuleInfo>();
        Assert.Equal(new Version(7, 4), info.PowerShellVersion);
        Assert.Equal(["Core"], info.CompatiblePSEditions);
        Assert.False(string.IsNullOrWhiteSpace(info.Description));
        var psData = (System.Collections.Hashtable)((System.Collections.Hashtable)info.PrivateData)["PSData"]!;
        Assert.NotNull(psData["Tags"]);
        Assert.NotNull(psData["LicenseUri"]);
        Assert.NotNull(psData["ReleaseNotes"]);
    }

    [Fact]
    public void Module_exports_exactly_the_cmdlets_the_assembly_implements()
    {
        using var rs = new ModuleRunspace();
        var exported = rs.Run("(Get-Command -Module DataSyncPS).Name").AssertNoErrors().Output.Select(o => o.ToString()).Order().ToList();
        var implemented = CmdletTypes().Select(t => t.GetCustomAttribute<CmdletAttribute>()!).Select(a => $"{a.VerbName}-{a.NounName}").Order().ToList();
        Assert.Equal(implemented, exported);
        Assert.NotEmpty(exported);
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type_and_every_DataSyncPS_output_type_has_a_format_view()
    {
        var formats = XDocument.Load(Path.Combine(Path.GetDirectoryName(ModuleRunspace.ModuleManifest)!, "DataSyncPS.format.ps1xml"))
            .Descendants("TypeName").Select(e => e.Value).ToHashSet();
        foreach (var type in CmdletTypes())
        {
            var outputs = type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(a => a.Type).Select(t => t.Name).ToList();
            Assert.True(outputs.Count > 0, $"{type.Name} has no [OutputType]");
            // PowerShell formats .NET types (string, SecureString, PSCredential) itself: a view of ours for
            // them would change how every string shows in the session. Our own types need one.
            foreach (var o in outputs.Where(o => o.StartsWith("DataSyncPS.", StringComparison.Ordinal))) Assert.Contains(o, formats);
        }
    }

    [Fact]
    public void Module_version_is_the_build_version()
    {
        using var rs = new ModuleRunspace(import: false);
        var info = rs.Run("Test-ModuleManifest -Path $path", new Dictionary<string, object?> { ["path"] = ModuleRunspace.ModuleManifest }).Single<PSModuleInfo>();
        var assembly = AssemblyName.GetAssemblyName(Path.Combine(Path.GetDirectoryName(ModuleRunspace.ModuleManifest)!, "DataSyncPS.dll"));
        Assert.Equal(info.Version, new Version(assembly.Version!.Major, assembly.Version.Minor, assembly.Version.Build));
    }

    [Fact]
    public void Cmdlet_verbs_are_approved()
    {
        // Get-Verb lives in a module the bare engine lacks; the approved verbs are the Verbs* constants.
        var verbs = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic),
                typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var a in CmdletTypes().Select(t => t.GetCustomAttribute<CmdletAttribute>()!))
            Assert.Contains(a.VerbName, verbs);
    }

    internal static IEnumerable<Type> CmdletTypes()
    {
        // Read the cmdlet assembly without loading it into this context (it would need the engine).
        using var rs = new ModuleRunspace();
        var assembly = rs.Run("(Get-Command Connect-SyncSource).ImplementingType.Assembly").Objects<Assembly>().Single();
        return assembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null).ToList();
    }
}
