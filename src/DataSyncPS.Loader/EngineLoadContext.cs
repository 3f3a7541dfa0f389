using System.Reflection;
using System.Runtime.Loader;

namespace DataSyncPS.Loader;

/// <summary>
/// The engine and its dependencies (Npgsql, SqlClient, MySqlConnector, SQLite...) live in
/// dependencies/ and load here, not in PowerShell's default context, so another module's copy of the
/// same assembly at another version cannot clash with ours ("Assembly with same name is already loaded").
/// The engine's deps.json says where each managed and native file is, per platform.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public EngineLoadContext(string dependenciesDirectory)
        : base("DataSyncPS.Engine", isCollectible: false)
    {
        DependenciesDirectory = dependenciesDirectory;
        _resolver = new AssemblyDependencyResolver(Path.Combine(dependenciesDirectory, "DataSyncPS.Engine.dll"));
    }

    public string DependenciesDirectory { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        // Framework assemblies are not in the deps folder: they come from the default context, shared.
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
