using System.Data.Common;
using MySqlConnector;

namespace DataSyncPS.Engine.Sources;

/// <summary>MySQL and MariaDB: one wire protocol, one driver; the two differ in how a JSON column shows
/// in the catalog (MariaDB's JSON is LONGTEXT with a json_valid check).</summary>
public sealed class MySqlDialect : SqlDialect
{
    public static readonly MySqlDialect MySql = new(ProviderKind.MySql);
    public static readonly MySqlDialect MariaDb = new(ProviderKind.MariaDb);

    private MySqlDialect(ProviderKind kind) => Kind = kind;

    public override ProviderKind Kind { get; }
    public override DbProviderFactory Factory => MySqlConnectorFactory.Instance;
    protected override char OpenQuote => '`';
    protected override char CloseQuote => '`';

    public override string BuildConnectionString(ConnectionSpec spec)
    {
        var b = spec.ConnectionString is null
            ? new MySqlConnectionStringBuilder()
            : (MySqlConnectionStringBuilder)ParseConnectionString(new MySqlConnectionStringBuilder(), spec.ConnectionString, Kind);
        if (spec.Server is not null)
        {
            // "db01:3307" as admins type it for other tools; the driver wants the port on its own.
            var (host, typedPort) = ServerName.Split(spec.Server);
            b.Server = host;
            if (typedPort is int p) b.Port = (uint)p;
        }
        if (spec.Port is int port) b.Port = (uint)port;
        if (spec.Database is not null) b.Database = spec.Database;
        if (spec.Credential is not null)
        {
            b.UserID = spec.Credential.UserName;
            b.Password = spec.Credential.Password;
        }
        if (string.IsNullOrEmpty(b.Server)) b.Server = "localhost";
        if (ConnectTimeout(spec) is int timeout) b.ConnectionTimeout = (uint)timeout;
        b.DefaultCommandTimeout = 0;
        b.CharacterSet = "utf8mb4";
        b.ConvertZeroDateTime = true; // '0000-00-00' exists in old MySQL data; reading it must not fail
        b.ApplicationName ??= "DataSyncPS";
        return b.ConnectionString;
    }

    public override (string? Server, int? Port, string? Database, string? User) Describe(string connectionString)
    {
        var b = new MySqlConnectionStringBuilder(connectionString);
        return (b.Server, (int)b.Port, b.Database, b.UserID);
    }

    public override string? SessionSetupSql => "SET time_zone = '+00:00'";

    public override string Limit(string selectWithOrderBy, int limit) => selectWithOrderBy + " LIMIT " + limit;

    // MariaDB sends JSON as LONGTEXT, telling "json" only in its extended type info, which MySqlConnector
    // does not ask for (mysql-net/MySqlConnector#1309); BIT(1) reads as a number. The catalog says both.
    // Not as a derived table: its columns would name the derived table, not the table they come from.
    public override string? QueryColumnsProbeSql(string query) => "(" + query + ") LIMIT 0";

    public override ValueKind MapValueKind(string dataTypeName, Type clrType)
    {
        var t = dataTypeName.ToLowerInvariant();
        if (t == "json") return ValueKind.Json;
        // BIT(1) holds a flag (MySqlConnector reads every BIT as ulong); TINYINT(1) is bool in the driver already.
        if (t == "bit(1)") return ValueKind.Boolean;
        if (t == "date") return ValueKind.Date;
        if (t.StartsWith("datetime")) return ValueKind.Timestamp;
        // TIMESTAMP is stored in UTC and sent in the session's zone, which SessionSetupSql makes UTC.
        if (t.StartsWith("timestamp")) return ValueKind.TimestampUtc;
        if (clrType == typeof(decimal)) return ValueKind.DecimalText;
        return base.MapValueKind(dataTypeName, clrType);
    }

    /// <summary>DECIMAL as the server sent it: MySqlConnector's GetDecimal rounds past 28 digits.</summary>
    public override string ReadExactText(DbDataReader reader, int ordinal) =>
        reader is MySqlDataReader m && reader.GetFieldType(ordinal) == typeof(decimal)
            ? m.GetMySqlDecimal(ordinal).ToString()
            : base.ReadExactText(reader, ordinal);

    private const int AccessDeniedNoPassword = 1698;

    public override SyncErrorKind? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MySqlException m)
            {
                return m.ErrorCode switch
                {
                    MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied => m.Message.Contains("database", StringComparison.OrdinalIgnoreCase) && m.ErrorCode == MySqlErrorCode.DatabaseAccessDenied
                        ? SyncErrorKind.DatabaseNotFound : SyncErrorKind.AuthenticationFailed,
                    // ER_ACCESS_DENIED_NO_PASSWORD_ERROR (not in MySqlErrorCode): MariaDB's answer for a user it does not know.
                    (MySqlErrorCode)AccessDeniedNoPassword => SyncErrorKind.AuthenticationFailed,
                    MySqlErrorCode.UnknownDatabase => SyncErrorKind.DatabaseNotFound,
                    MySqlErrorCode.UnableToConnectToHost => SyncErrorKind.HostUnreachable,
                    MySqlErrorCode.NoSuchTable => SyncErrorKind.TableNotFound,
                    MySqlErrorCode.BadFieldError => SyncErrorKind.ColumnNotFound,
                    MySqlErrorCode.QueryInterrupted => SyncErrorKind.Cancelled,
                    _ => SyncErrorKind.QueryFailed,
                };
            }
            if (e is System.Net.Sockets.SocketException or TimeoutException) return SyncErrorKind.HostUnreachable;
        }
        return null;
    }
}
