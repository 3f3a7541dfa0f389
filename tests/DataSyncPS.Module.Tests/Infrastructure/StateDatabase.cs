using System.Data.Common;
using System.Reflection;
using System.Runtime.Loader;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>Reads a state store another process left on disk, with the module's own SQLite from its
/// dependencies folder, loaded apart from the test's assemblies as the module loads it. ADO.NET's base
/// types are the framework's, so the connection is used as a plain <see cref="DbConnection"/>.</summary>
public static class StateDatabase
{
    private static readonly Lazy<Type> ConnectionType = new(() =>
    {
        var dependencies = Path.Combine(Path.GetDirectoryName(ModuleRunspace.ModuleManifest)!, "dependencies");
        var context = new DependenciesContext(Path.Combine(dependencies, "DataSyncPS.Engine.dll"));
        return context.LoadFromAssemblyName(new AssemblyName("Microsoft.Data.Sqlite"))
            .GetType("Microsoft.Data.Sqlite.SqliteConnection", throwOnError: true)!;
    });

    /// <summary>The rows of a query, read-only; no pooled handle keeps the file open afterwards.</summary>
    public static List<object?[]> Query(string path, string sql)
    {
        using var connection = Open(path, "ReadOnly");
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Takes the store's write lock until disposed: an exporter's next write (a batch commit, the
    /// run's end) waits for it, within its busy timeout. Readers are not held up.</summary>
    public static IDisposable HoldWriteLock(string path)
    {
        var connection = Open(path, "ReadWrite");
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return connection; // closing it rolls the empty transaction back
    }

    private static DbConnection Open(string path, string mode)
    {
        var connection = (DbConnection)Activator.CreateInstance(ConnectionType.Value, $"Data Source={path};Mode={mode};Pooling=False")!;
        connection.Open();
        return connection;
    }

    private sealed class DependenciesContext(string engine) : AssemblyLoadContext("DataSyncPS.Tests.StateDatabase")
    {
        private readonly AssemblyDependencyResolver _resolver = new(engine);

        protected override Assembly? Load(AssemblyName name) =>
            _resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;

        protected override IntPtr LoadUnmanagedDll(string name) =>
            _resolver.ResolveUnmanagedDllToPath(name) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
