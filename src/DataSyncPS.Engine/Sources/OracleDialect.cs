using System.Data.Common;
using System.Reflection;
using System.Runtime.Loader;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// Oracle through Oracle.ManagedDataAccess, which cannot ship with the module (not restorable here, and
/// licensed separately): it is loaded at run time from -ProviderPath or the module folder, into the
/// engine's own load context.
/// </summary>
public sealed class OracleDialect : SqlDialect
{
    public const string ProviderAssemblyFile = "Oracle.ManagedDataAccess.dll";
    private readonly string? _providerPath;
    private DbProviderFactory? _factory;

    public OracleDialect(string? providerPath = null) => _providerPath = providerPath;

    public override ProviderKind Kind => ProviderKind.Oracle;

    public override DbProviderFactory Factory => _factory ??= LoadFactory(_providerPath);

    public override string ParameterName(int index) => ":p" + index;

    /// <summary>ODP.NET binds by position unless told otherwise, and a keyset predicate repeats
    /// placeholders; its parameters are named without the colon.</summary>
    public override void AddParameter(DbCommand command, int index, object? value)
    {
        command.GetType().GetProperty("BindByName")?.SetValue(command, true);
        var p = command.CreateParameter();
        p.ParameterName = "p" + index;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public override string BuildConnectionString(ConnectionSpec spec)
    {
        var b = spec.ConnectionString is null
            ? new DbConnectionStringBuilder()
            : ParseConnectionString(new DbConnectionStringBuilder(), spec.ConnectionString, Kind);
        if (spec.Server is not null)
        {
            var service = spec.Database ?? "ORCL";
            b["Data Source"] = $"{spec.Server}:{spec.Port ?? 1521}/{service}";
        }
        if (spec.Credential is not null)
        {
            b["User Id"] = spec.Credential.UserName;
            b["Password"] = spec.Credential.Password;
        }
        if (!b.ContainsKey("Data Source"))
            throw new SyncException(SyncErrorKind.InvalidArgument, "An Oracle source needs -Server (and -Database as the service name) or a connection string with Data Source.");
        if (ConnectTimeout(spec) is int timeout) b["Connection Timeout"] = timeout;
        return b.ConnectionString;
    }

    public override (string? Server, int? Port, string? Database, string? User) Describe(string connectionString)
    {
        var b = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var ds = b.TryGetValue("Data Source", out var d) ? d?.ToString() : null;
        string? server = ds, db = null;
        int? port = null;
        if (ds is not null && ds.IndexOf('(') < 0)
        {
            var slash = ds.IndexOf('/');
            if (slash > 0) { db = ds[(slash + 1)..]; server = ds[..slash]; }
            var colon = server!.LastIndexOf(':');
            if (colon > 0 && int.TryParse(server[(colon + 1)..], out var p)) { port = p; server = server[..colon]; }
        }
        var user = b.TryGetValue("User Id", out var u) ? u?.ToString() : null;
        return (server, port, db, user);
    }

    public override bool DatabaseNamesIgnoreCase => true;

    /// <summary>Oracle 12c+ row limiting clause.</summary>
    public override string Limit(string selectWithOrderBy, int limit) => selectWithOrderBy + $" FETCH FIRST {limit} ROWS ONLY";

    public override ValueKind MapValueKind(string dataTypeName, Type clrType)
    {
        var t = dataTypeName.ToUpperInvariant();
        if (t == "DATE") return ValueKind.Timestamp; // Oracle DATE has a time part
        if (t.StartsWith("TIMESTAMP") && t.Contains("TIME ZONE")) return ValueKind.TimestampOffset;
        if (t.StartsWith("TIMESTAMP")) return ValueKind.Timestamp;
        if (t is "NUMBER" && clrType == typeof(decimal)) return ValueKind.Decimal;
        return base.MapValueKind(dataTypeName, clrType);
    }

    /// <summary>NUMBER beyond System.Decimal: OracleDecimal keeps all 38 digits. The provider is loaded
    /// at run time, so it is reached by name.</summary>
    public override string ReadExactText(DbDataReader reader, int ordinal) =>
        reader.GetType().GetMethod("GetOracleDecimal", [typeof(int)])?.Invoke(reader, [ordinal])?.ToString()
            ?? base.ReadExactText(reader, ordinal);

    public override SyncErrorKind? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.GetType().FullName == "Oracle.ManagedDataAccess.Client.OracleException")
            {
                var number = (int)(e.GetType().GetProperty("Number")?.GetValue(e) ?? 0);
                return number switch
                {
                    1017 => SyncErrorKind.AuthenticationFailed,
                    12514 or 12505 => SyncErrorKind.DatabaseNotFound,
                    12541 or 12543 or 12545 or 12170 or 12154 => SyncErrorKind.HostUnreachable,
                    942 => SyncErrorKind.TableNotFound,
                    904 => SyncErrorKind.ColumnNotFound,
                    1013 => SyncErrorKind.Cancelled,
                    _ => SyncErrorKind.QueryFailed,
                };
            }
        }
        return null;
    }

    /// <summary>Finds Oracle.ManagedDataAccess.dll: the given file or folder, else the engine's folder and
    /// the module folder above it.</summary>
    public static string? FindProviderAssembly(string? providerPath)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(providerPath))
            candidates.Add(Directory.Exists(providerPath) ? Path.Combine(providerPath, ProviderAssemblyFile) : providerPath);
        var here = Path.GetDirectoryName(typeof(OracleDialect).Assembly.Location);
        if (!string.IsNullOrEmpty(here))
        {
            candidates.Add(Path.Combine(here, ProviderAssemblyFile));
            var parent = Path.GetDirectoryName(here);
            if (parent is not null) candidates.Add(Path.Combine(parent, ProviderAssemblyFile));
        }
        return candidates.FirstOrDefault(File.Exists);
    }

    private static DbProviderFactory LoadFactory(string? providerPath)
    {
        var path = FindProviderAssembly(providerPath)
            ?? throw new SyncException(SyncErrorKind.ProviderMissing,
                $"The Oracle provider ({ProviderAssemblyFile}) was not found" +
                (providerPath is null ? " in the module folder" : $" at '{providerPath}'") +
                ". Download the NuGet package Oracle.ManagedDataAccess.Core (lib/net8.0), then pass the folder with " +
                "-ProviderPath, or copy the DLL into the module's dependencies folder (build.ps1 -Task FetchOracle does this where nuget.org is reachable).",
                target: providerPath);
        var context = AssemblyLoadContext.GetLoadContext(typeof(OracleDialect).Assembly) ?? AssemblyLoadContext.Default;
        Assembly assembly;
        try { assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path)); }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new SyncException(SyncErrorKind.ProviderMissing, $"'{path}' is not a usable {ProviderAssemblyFile}: {ex.Message}", ex, path);
        }
        var type = assembly.GetType("Oracle.ManagedDataAccess.Client.OracleClientFactory")
            ?? throw new SyncException(SyncErrorKind.ProviderMissing, $"'{path}' has no OracleClientFactory; is it Oracle.ManagedDataAccess.Core?", target: path);
        return (DbProviderFactory)(type.GetField("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? throw new SyncException(SyncErrorKind.ProviderMissing, $"OracleClientFactory.Instance is missing in '{path}'.", target: path));
    }
}
