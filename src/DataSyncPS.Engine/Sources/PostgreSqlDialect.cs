using System.Buffers.Binary;
using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace DataSyncPS.Engine.Sources;

public sealed partial class PostgreSqlDialect : SqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    public override ProviderKind Kind => ProviderKind.PostgreSql;
    public override DbProviderFactory Factory => NpgsqlFactory.Instance;
    protected override bool SupportsRowValueComparison => true;

    public override string BuildConnectionString(ConnectionSpec spec)
    {
        var b = spec.ConnectionString is null
            ? new NpgsqlConnectionStringBuilder()
            : (NpgsqlConnectionStringBuilder)ParseConnectionString(new NpgsqlConnectionStringBuilder(), spec.ConnectionString, Kind);
        if (spec.Server is not null) b.Host = spec.Server;
        if (spec.Port is int port) b.Port = port;
        if (spec.Database is not null) b.Database = spec.Database;
        if (spec.Credential is not null)
        {
            b.Username = spec.Credential.UserName;
            b.Password = spec.Credential.Password;
        }
        if (string.IsNullOrEmpty(b.Host)) b.Host = "localhost";
        if (ConnectTimeout(spec) is int timeout) b.Timeout = timeout;
        b.CommandTimeout = 0; // exports of big tables run as long as they need; Ctrl+C cancels
        b.ApplicationName ??= "DataSyncPS";
        b.ReadBufferSize = Math.Max(b.ReadBufferSize, 64 * 1024);
        // Npgsql's default reads int[] as int[] and throws on an array holding a NULL.
        if (b.ArrayNullabilityMode == ArrayNullabilityMode.Never) b.ArrayNullabilityMode = ArrayNullabilityMode.PerInstance;
        return b.ConnectionString;
    }

    public override (string? Server, int? Port, string? Database, string? User) Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return (b.Host, b.Port, b.Database, b.Username);
    }

    public override string Limit(string selectWithOrderBy, int limit) => selectWithOrderBy + " LIMIT " + limit;

    public override ValueKind MapValueKind(string dataTypeName, Type clrType)
    {
        // The catalog's format_type carries precisions ("timestamp(3) with time zone", "time(3) with
        // time zone"); the kind depends on the type alone.
        var t = Typmod().Replace(dataTypeName.ToLowerInvariant(), "");
        return t switch
        {
            "json" or "jsonb" => ValueKind.Json,
            "timestamp with time zone" or "timestamptz" => ValueKind.TimestampUtc,
            "timestamp without time zone" or "timestamp" => ValueKind.Timestamp,
            "date" => ValueKind.Date,
            "time with time zone" or "timetz" => ValueKind.TimeOffset,
            "money" => ValueKind.Decimal,
            _ when t.StartsWith("interval", StringComparison.Ordinal) => ValueKind.Duration,
            _ => base.MapValueKind(dataTypeName, clrType),
        };
    }

    /// <summary>numeric beyond System.Decimal (or NaN, Infinity) decoded from the wire format, digit for
    /// digit; interval (which TimeSpan cannot hold when it has months) as an ISO 8601 duration.</summary>
    public override string ReadExactText(DbDataReader reader, int ordinal)
    {
        if (reader is NpgsqlDataReader npgsql && reader.GetDataTypeName(ordinal) == "interval")
        {
            var interval = npgsql.GetFieldValue<NpgsqlTypes.NpgsqlInterval>(ordinal);
            return PostgreSqlInterval.ToIso8601(interval.Months, interval.Days, interval.Time);
        }
        if (reader.GetFieldType(ordinal) != typeof(decimal)) return base.ReadExactText(reader, ordinal);
        using var stream = reader.GetStream(ordinal);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return PostgreSqlNumeric.ToText(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
    }

    /// <summary>Npgsql reads 'infinity' and '-infinity' as DateTime.MaxValue and MinValue; the wire value
    /// (int64 microseconds for timestamps, int32 days for dates) says which it was.</summary>
    public override string? SpecialDateTimeText(DbDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        Span<byte> raw = stackalloc byte[8];
        return stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false) switch
        {
            8 => BinaryPrimitives.ReadInt64BigEndian(raw) switch { long.MaxValue => "infinity", long.MinValue => "-infinity", _ => null },
            4 => BinaryPrimitives.ReadInt32BigEndian(raw) switch { int.MaxValue => "infinity", int.MinValue => "-infinity", _ => null },
            _ => null,
        };
    }

    internal override Func<Export.ExportStatement, Export.IExportRows>? FastRows(DbConnection connection, Export.SqlExportPlan plan,
        TimeZoneInfo zone, Export.ISyncObserver observer, CancellationToken ct) =>
        connection is NpgsqlConnection npgsql ? Export.PostgreSqlCopyRows.TryPrepare(npgsql, plan, zone, observer, ct) : null;

    [GeneratedRegex(@"\(\d+(,\s*\d+)?\)")]
    private static partial Regex Typmod();

    public override SyncErrorKind? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.SqlState is "28P01" or "28000": return SyncErrorKind.AuthenticationFailed;
                case PostgresException pg when pg.SqlState == "3D000": return SyncErrorKind.DatabaseNotFound;
                case PostgresException pg when pg.SqlState == "42P01": return SyncErrorKind.TableNotFound;
                case PostgresException pg when pg.SqlState == "42703": return SyncErrorKind.ColumnNotFound;
                case PostgresException pg when pg.SqlState == "57014": return SyncErrorKind.Cancelled;
                case PostgresException: return SyncErrorKind.QueryFailed;
                case SocketException: return SyncErrorKind.HostUnreachable;
                case TimeoutException: return SyncErrorKind.HostUnreachable;
            }
        }
        return exception is NpgsqlException ? SyncErrorKind.HostUnreachable : null;
    }
}
