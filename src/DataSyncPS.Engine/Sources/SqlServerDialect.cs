using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace DataSyncPS.Engine.Sources;

public sealed class SqlServerDialect : SqlDialect
{
    public static readonly SqlServerDialect Instance = new();

    public override ProviderKind Kind => ProviderKind.SqlServer;
    public override DbProviderFactory Factory => SqlClientFactory.Instance;
    protected override char OpenQuote => '[';
    protected override char CloseQuote => ']';

    public override string BuildConnectionString(ConnectionSpec spec)
    {
        var b = spec.ConnectionString is null
            ? new SqlConnectionStringBuilder()
            : (SqlConnectionStringBuilder)ParseConnectionString(new SqlConnectionStringBuilder(), spec.ConnectionString, Kind);
        if (spec.Server is not null) b.DataSource = spec.Port is int p ? $"{spec.Server},{p}" : spec.Server;
        if (spec.Database is not null) b.InitialCatalog = spec.Database;
        if (spec.Credential is not null)
        {
            b.UserID = spec.Credential.UserName;
            b.Password = spec.Credential.Password;
            b.IntegratedSecurity = false;
        }
        else if (spec.ConnectionString is null)
        {
            b.IntegratedSecurity = true;
        }
        if (string.IsNullOrEmpty(b.DataSource)) b.DataSource = "localhost";
        if (spec.TrustServerCertificate) b.TrustServerCertificate = true;
        if (ConnectTimeout(spec) is int timeout) b.ConnectTimeout = timeout;
        b.CommandTimeout = 0;
        // The driver's default name differs by platform ("Core Microsoft SqlClient Data Provider" on .NET).
        if (string.IsNullOrEmpty(b.ApplicationName) || b.ApplicationName == new SqlConnectionStringBuilder().ApplicationName)
            b.ApplicationName = "DataSyncPS";
        return b.ConnectionString;
    }

    public override (string? Server, int? Port, string? Database, string? User) Describe(string connectionString)
    {
        var b = new SqlConnectionStringBuilder(connectionString);
        var server = b.DataSource;
        int? port = null;
        var comma = server.LastIndexOf(',');
        if (comma > 0 && int.TryParse(server[(comma + 1)..], out var p)) { port = p; server = server[..comma]; }
        return (server, port, b.InitialCatalog, b.IntegratedSecurity ? Environment.UserName : b.UserID);
    }

    /// <summary>A DateTime would go as datetime (1/300 s): a datetime2 watermark would then fall between
    /// rows and skip ties. datetime2 holds every datetime and datetime2 value exactly. A string would go as
    /// nvarchar, which converts a varchar key column to nvarchar: under a SQL_ collation that order is not the
    /// index's, so keyset pages could skip or repeat rows (and the seek becomes a scan). ASCII text goes as
    /// varchar, the same in every code page; other text stays nvarchar, which loses no character.</summary>
    public override void AddParameter(DbCommand command, int index, object? value)
    {
        base.AddParameter(command, index, value);
        var p = command.Parameters[^1];
        if (value is DateTime) p.DbType = System.Data.DbType.DateTime2;
        else if (value is string s && System.Text.Ascii.IsValid(s))
        {
            p.DbType = System.Data.DbType.AnsiString;
            p.Size = s.Length <= 8000 ? 8000 : -1; // one cached plan whatever the value's length
        }
    }

    public override bool DatabaseNamesIgnoreCase => true;

    /// <summary>SELECT ... becomes SELECT TOP (n) ...; the statement must start with SELECT.</summary>
    public override string Limit(string selectWithOrderBy, int limit)
    {
        const string select = "SELECT ";
        if (!selectWithOrderBy.StartsWith(select, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("Only SELECT statements can be limited.", nameof(selectWithOrderBy));
        return $"SELECT TOP ({limit}) " + selectWithOrderBy[select.Length..];
    }

    public override ValueKind MapValueKind(string dataTypeName, Type clrType)
    {
        var t = dataTypeName.ToLowerInvariant();
        return t switch
        {
            "date" => ValueKind.Date,
            "datetime" or "datetime2" or "smalldatetime" => ValueKind.Timestamp,
            "datetimeoffset" => ValueKind.TimestampOffset,
            "money" or "smallmoney" => ValueKind.Decimal,
            "timestamp" or "rowversion" => ValueKind.Binary,
            _ => base.MapValueKind(dataTypeName, clrType),
        };
    }

    /// <summary>decimal(38, s) beyond System.Decimal: SqlDecimal keeps all 38 digits.</summary>
    public override string ReadExactText(DbDataReader reader, int ordinal) =>
        reader is SqlDataReader s && reader.GetFieldType(ordinal) == typeof(decimal)
            ? s.GetSqlDecimal(ordinal).ToString()
            : base.ReadExactText(reader, ordinal);

    public override SyncErrorKind? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqlException s)
            {
                return s.Number switch
                {
                    18456 => SyncErrorKind.AuthenticationFailed,
                    4060 => SyncErrorKind.DatabaseNotFound,
                    208 => SyncErrorKind.TableNotFound,
                    207 => SyncErrorKind.ColumnNotFound,
                    0 when s.Message.Contains("cancelled", StringComparison.OrdinalIgnoreCase) => SyncErrorKind.Cancelled,
                    -2 or -1 or 2 or 53 or 64 or 233 or 10053 or 10054 or 10060 or 10061 or 11001 or 40613 => SyncErrorKind.HostUnreachable,
                    // On Linux a refused or failed connect is number 0 around the socket's own exception.
                    _ when s.InnerException is System.Net.Sockets.SocketException => SyncErrorKind.HostUnreachable,
                    _ => SyncErrorKind.QueryFailed,
                };
            }
            if (e is System.Net.Sockets.SocketException) return SyncErrorKind.HostUnreachable;
        }
        return null;
    }
}
