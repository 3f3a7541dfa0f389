using System.Management.Automation;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Opens a source (database, SQLite file, Laravel log) and tests it.</summary>
[Cmdlet(VerbsCommunications.Connect, "SyncSource", DefaultParameterSetName = ServerSet)]
[OutputType(typeof(SyncSource))]
public sealed class ConnectSyncSourceCommand : SyncCmdlet
{
    private const string ServerSet = "Server";
    private const string ConnectionStringSet = "ConnectionString";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0)]
    public ProviderKind Provider { get; set; }

    [Parameter(ParameterSetName = ServerSet, Position = 1)]
    [Alias("Host", "SqlInstance")]
    [ValidateNotNullOrEmpty]
    public string? Server { get; set; }

    [Parameter(ParameterSetName = ServerSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    [Parameter(ParameterSetName = ServerSet, Position = 2)]
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>A PSCredential, or the name of one saved with Save-SyncSecret.</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [SavedSecret(SecretKind.Credential)]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Folder (or file) of Oracle.ManagedDataAccess.dll.</summary>
    [Parameter]
    public string? ProviderPath { get; set; }

    /// <summary>Time zone of timestamps stored without offset (IANA or Windows id); UTC by default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    public string? TimeZone { get; set; }

    [Parameter]
    public SwitchParameter TrustServerCertificate { get; set; }

    [Parameter]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter]
    public SwitchParameter SkipTest { get; set; }

    protected override void ProcessRecord()
    {
        var spec = new ConnectionSpec
        {
            Provider = Provider,
            Name = Name,
            Server = Server,
            Port = MyInvocation.BoundParameters.ContainsKey(nameof(Port)) ? Port : null,
            Database = Database,
            Credential = Credential?.GetNetworkCredential(),
            ConnectionString = ConnectionString,
            Path = Path is null ? null : ResolvePath(Path),
            ProviderPath = ProviderPath is null ? null : ResolvePath(ProviderPath),
            TimeZone = ResolveTimeZone(),
            TrustServerCertificate = TrustServerCertificate,
            ConnectTimeoutSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(ConnectTimeout)) ? ConnectTimeout : null,
        };
        if (TrustServerCertificate && Provider != ProviderKind.SqlServer)
            WriteWarning($"-TrustServerCertificate applies to SqlServer only; for {Provider}, set TLS options in -ConnectionString.");
        WriteVerbose(SkipTest ? $"Opening {Provider} source without testing it." : $"Testing the {Provider} connection.");
        var source = RunEngine(_ => SourceConnector.ConnectAsync(spec, !SkipTest, StopToken), target: Server ?? Path ?? Database);
        if (source.ServerVersion is not null) WriteVerbose($"Connected to {source.Provider} {source.Location}: {source.ServerVersion}.");
        SessionSources.Remember(source);
        WriteObject(source);
    }

    private TimeZoneInfo? ResolveTimeZone()
    {
        if (string.IsNullOrEmpty(TimeZone)) return null;
        try { return TimeZoneInfo.FindSystemTimeZoneById(TimeZone); }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"Time zone '{TimeZone}' is not known on this machine; use an IANA id such as 'America/Sao_Paulo' or a Windows id such as 'E. South America Standard Time'.", ex),
                "TimeZoneNotFound", ErrorCategory.InvalidArgument, TimeZone));
            return null;
        }
    }
}
