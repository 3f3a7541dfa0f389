using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DataSyncPS.Engine.Sources;

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override ProviderKind Kind => ProviderKind.Sqlite;
    public override DbProviderFactory Factory => SqliteFactory.Instance;
    protected override bool SupportsRowValueComparison => true;

    public override string BuildConnectionString(ConnectionSpec spec)
    {
        var b = spec.ConnectionString is null
            ? new SqliteConnectionStringBuilder()
            : (SqliteConnectionStringBuilder)ParseConnectionString(new SqliteConnectionStringBuilder(), spec.ConnectionString, Kind);
        var path = spec.Path ?? spec.Database ?? b.DataSource;
        if (string.IsNullOrEmpty(path))
            throw new SyncException(SyncErrorKind.InvalidArgument, "A SQLite source needs -Path (the database file).");
        b.DataSource = path;
        // A source is read, never created: a typo in the path must fail, not make an empty database.
        if (b.Mode == SqliteOpenMode.ReadWriteCreate) b.Mode = SqliteOpenMode.ReadWrite;
        return b.ConnectionString;
    }

    public override (string? Server, int? Port, string? Database, string? User) Describe(string connectionString)
    {
        var b = new SqliteConnectionStringBuilder(connectionString);
        return (null, null, b.DataSource, null);
    }

    public override string Limit(string selectWithOrderBy, int limit) => selectWithOrderBy + " LIMIT " + limit;

    // The driver gives a query column's declared type without its "(p,s)": the catalog has the scale.
    public override string? QueryColumnsProbeSql(string query) => "SELECT * FROM (" + query + ") LIMIT 0";

    public override bool StoresValuesByAffinity => true;

    /// <summary>The kind a column declares, for the types of DESIGN contract 3 that SQLite has no storage
    /// class for; every other declaration leaves the values as they are stored (<see cref="ValueKind.Other"/>).
    /// Names as SQLite reads them: any case, an optional "(p,s)", words after the first ignored.</summary>
    public override ValueKind MapValueKind(string dataTypeName, Type clrType)
    {
        var name = DeclaredTypeName(dataTypeName);
        return name switch
        {
            "DECIMAL" or "NUMERIC" => ValueKind.DecimalText,
            "BOOLEAN" or "BOOL" => ValueKind.Boolean,
            "DATE" => ValueKind.Date,
            "DATETIME" or "TIMESTAMP" => ValueKind.Timestamp,
            "JSON" => ValueKind.Json,
            _ => ValueKind.Other,
        };
    }

    /// <summary>The scale of a declared DECIMAL(p,s) or NUMERIC(p,s); null when none is declared.</summary>
    public override int? DeclaredScale(string dataTypeName)
    {
        var open = dataTypeName.IndexOf('(');
        var close = dataTypeName.IndexOf(')', open + 1);
        if (open < 0 || close < 0) return null;
        var args = dataTypeName[(open + 1)..close].Split(',');
        return args.Length == 2 && int.TryParse(args[1].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale <= 100
            ? scale : null;
    }

    private static string DeclaredTypeName(string dataTypeName)
    {
        var t = dataTypeName.AsSpan().Trim();
        var end = t.IndexOfAny('(', ' ');
        return (end < 0 ? t : t[..end]).ToString().ToUpperInvariant();
    }

    public override SyncErrorKind? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException s)
            {
                return s.SqliteErrorCode switch
                {
                    14 => SyncErrorKind.PathNotFound,   // SQLITE_CANTOPEN
                    26 => SyncErrorKind.PathNotFound,   // SQLITE_NOTADB
                    9 => SyncErrorKind.Cancelled,       // SQLITE_INTERRUPT
                    _ when s.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) => SyncErrorKind.TableNotFound,
                    _ when s.Message.Contains("no such column", StringComparison.OrdinalIgnoreCase) => SyncErrorKind.ColumnNotFound,
                    _ => SyncErrorKind.QueryFailed,
                };
            }
        }
        return null;
    }
}
