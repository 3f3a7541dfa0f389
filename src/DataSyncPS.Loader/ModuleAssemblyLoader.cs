using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace DataSyncPS.Loader;

/// <summary>
/// Sends requests for DataSyncPS.Engine (and only those) to the module's own load context. Hooked when
/// PowerShell imports this nested module, which the manifest lists so that it loads before the cmdlet
/// assembly is reflected over.
/// </summary>
public sealed class ModuleAssemblyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "DataSyncPS.Engine";
    private static readonly object Gate = new();
    private static EngineLoadContext? _context;
    private static bool _hooked;

    public void OnImport() => Hook();

    public void OnRemove(PSModuleInfo module)
    {
        // The engine stays loaded (load contexts with native libraries cannot be unloaded safely);
        // a re-import finds it again through the same hook.
    }

    internal static void Hook()
    {
        lock (Gate)
        {
            if (_hooked) return;
            AssemblyLoadContext.Default.Resolving += Resolve;
            _hooked = true;
        }
    }

    internal static EngineLoadContext Context
    {
        get
        {
            lock (Gate)
            {
                return _context ??= new EngineLoadContext(DependenciesDirectory());
            }
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)) return null;
        var path = Path.Combine(Context.DependenciesDirectory, EngineAssemblyName + ".dll");
        return File.Exists(path) ? Context.LoadFromAssemblyPath(path) : null;
    }

    private static string DependenciesDirectory()
    {
        var here = Path.GetDirectoryName(typeof(ModuleAssemblyLoader).Assembly.Location)!;
        return Path.Combine(here, "dependencies");
    }
}
