using System.Net;

namespace DataSyncPS.Engine.Sources;

/// <summary>What the admin gave to open a source. The password stays inside <see cref="Credential"/>
/// until a connection string is built.</summary>
public sealed class ConnectionSpec
{
    public ProviderKind Provider { get; init; }
    public string? Name { get; init; }
    public string? Server { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    public NetworkCredential? Credential { get; init; }
    public string? ConnectionString { get; init; }
    /// <summary>SQLite file, or Laravel log file or folder.</summary>
    public string? Path { get; init; }
    /// <summary>Folder holding Oracle.ManagedDataAccess.dll, or the DLL itself.</summary>
    public string? ProviderPath { get; init; }
    /// <summary>Zone of timestamps stored without offset (timestamp, DATETIME); UTC when not given.</summary>
    public TimeZoneInfo? TimeZone { get; init; }
    public bool TrustServerCertificate { get; init; }
    /// <summary>Seconds to wait for a connection; null means the connection string's own value, else 15.</summary>
    public int? ConnectTimeoutSeconds { get; init; }
}
