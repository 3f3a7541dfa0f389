using System.Data.Common;
using System.Globalization;
using System.Text;

namespace DataSyncPS.Engine.Sources;

/// <summary>
/// What differs between SQL engines: connection strings, quoting, paging, type names and error codes.
/// One small subclass per engine; everything else is shared. The catalog queries are the engine's
/// <see cref="Schema.CatalogReader"/>'s.
/// </summary>
public abstract class SqlDialect
{
    public abstract ProviderKind Kind { get; }

    public abstract DbProviderFactory Factory { get; }

    /// <summary>Builds the provider's connection string from the admin's input; throws
    /// <see cref="SyncException"/> with <see cref="SyncErrorKind.ConnectionStringInvalid"/> when malformed.</summary>
    public abstract string BuildConnectionString(ConnectionSpec spec);

    /// <summary>Server and database read back from a connection string, for messages and output objects.</summary>
    public abstract (string? Server, int? Port, string? Database, string? User) Describe(string connectionString);

    /// <summary>Whether the engine treats database names without regard to case (SQL Server, Oracle), so
    /// a source's identity folds them.</summary>
    public virtual bool DatabaseNamesIgnoreCase => false;

    public virtual string QuoteIdentifier(string identifier)
    {
        if (identifier.IndexOf('\0') >= 0)
            throw new SyncException(SyncErrorKind.IdentifierInvalid, "An identifier cannot contain a NUL character.", target: identifier);
        return OpenQuote + identifier.Replace(CloseQuote.ToString(), new string(CloseQuote, 2)) + CloseQuote;
    }

    protected virtual char OpenQuote => '"';
    protected virtual char CloseQuote => '"';

    public string QuoteTable(TableName table) =>
        table.Schema is null ? QuoteIdentifier(table.Name) : QuoteIdentifier(table.Schema) + "." + QuoteIdentifier(table.Name);

    public virtual string ParameterName(int index) => "@p" + index;

    /// <summary>Run on every connection a source opens, before any query; null when nothing is needed.</summary>
    public virtual string? SessionSetupSql => null;

    /// <summary>SQL that returns no row, only the result columns of the admin's <paramref name="query"/>,
    /// each still naming the table column it comes from (so a -Query export can use the catalog types
    /// a -Table export uses); null where the driver's own types are right already.</summary>
    public virtual string? QueryColumnsProbeSql(string query) => null;

    /// <summary>Wraps a SELECT so that it returns at most <paramref name="limit"/> rows.</summary>
    public abstract string Limit(string selectWithOrderBy, int limit);

    /// <summary>Whether <c>(a, b) &gt; (x, y)</c> works and uses an index; otherwise the OR-chain is used.</summary>
    protected virtual bool SupportsRowValueComparison => false;

    /// <summary>Keyset predicate "(c1, c2, ...) &gt; (p1, p2, ...)" over already quoted columns; value i
    /// is written as <paramref name="placeholder"/>(i), by default the bound parameter's name.</summary>
    public string KeysetPredicate(IReadOnlyList<string> quotedColumns, int firstParameter, Func<int, string>? placeholder = null) =>
        KeysetComparison(quotedColumns, ">", firstParameter, placeholder);

    /// <summary>"(c1, c2, ...) op (p1, p2, ...)" in keyset (lexicographic) order, for op &gt;, &gt;=, &lt; or &lt;=:
    /// the row-value form where the engine has it, else the equivalent OR-chain whose last column takes
    /// the operator itself (a key range, such as a batch's rows read again, is a &gt;= and a &lt;=).</summary>
    public string KeysetComparison(IReadOnlyList<string> quotedColumns, string op, int firstParameter, Func<int, string>? placeholder = null)
    {
        var value = placeholder ?? ParameterName;
        if (quotedColumns.Count == 0) throw new ArgumentException("At least one keyset column is needed.", nameof(quotedColumns));
        var strict = op switch
        {
            ">" or ">=" => " > ",
            "<" or "<=" => " < ",
            _ => throw new ArgumentException($"'{op}' is not a keyset comparison.", nameof(op)),
        };
        if (SupportsRowValueComparison && quotedColumns.Count > 1)
        {
            var ps = Enumerable.Range(firstParameter, quotedColumns.Count).Select(value);
            return "(" + string.Join(", ", quotedColumns) + ") " + op + " (" + string.Join(", ", ps) + ")";
        }
        // c1 > p1 OR (c1 = p1 AND (c2 > p2 OR (c2 = p2 AND ...)))
        var sb = new StringBuilder();
        Build(0);
        return sb.ToString();

        void Build(int i)
        {
            var c = quotedColumns[i];
            var p = value(firstParameter + i);
            if (i == quotedColumns.Count - 1) { sb.Append(c).Append(' ').Append(op).Append(' ').Append(p); return; }
            sb.Append('(').Append(c).Append(strict).Append(p).Append(" OR (").Append(c).Append(" = ").Append(p).Append(" AND ");
            Build(i + 1);
            sb.Append("))");
        }
    }

    /// <summary>Whether a value may be stored in another class than its column declares (SQLite's type
    /// affinity): the row writer then applies <see cref="MapValueKind"/> value by value, to the values
    /// that are of the declared kind, and writes the others as they are stored.</summary>
    public virtual bool StoresValuesByAffinity => false;

    /// <summary>The scale a column declares, for decimals whose stored form may have lost it (SQLite keeps
    /// DECIMAL(10,2) 751.40 as the REAL 751.4); null when the engine sends decimals as they are.</summary>
    public virtual int? DeclaredScale(string dataTypeName) => null;

    /// <summary>How a column's values are written to JSON, from the provider's type name and CLR type.</summary>
    public virtual ValueKind MapValueKind(string dataTypeName, Type clrType)
    {
        var t = dataTypeName.ToLowerInvariant();
        if (clrType == typeof(DateTime))
        {
            if (t == "date") return ValueKind.Date;
            return ValueKind.Timestamp;
        }
        return ValueKindOfClrType(clrType);
    }

    protected static ValueKind ValueKindOfClrType(Type clrType) => Type.GetTypeCode(clrType) switch
    {
        TypeCode.Boolean => ValueKind.Boolean,
        TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 => ValueKind.Int32,
        TypeCode.UInt32 or TypeCode.Int64 => ValueKind.Int64,
        TypeCode.UInt64 => ValueKind.UInt64,
        TypeCode.Decimal => ValueKind.Decimal,
        TypeCode.Single => ValueKind.Single,
        TypeCode.Double => ValueKind.Double,
        TypeCode.String or TypeCode.Char => ValueKind.String,
        TypeCode.DateTime => ValueKind.Timestamp,
        _ when clrType == typeof(DateTimeOffset) => ValueKind.TimestampOffset,
        _ when clrType == typeof(DateOnly) => ValueKind.DateOnly,
        _ when clrType == typeof(TimeSpan) || clrType == typeof(TimeOnly) => ValueKind.Time,
        _ when clrType == typeof(Guid) => ValueKind.Guid,
        _ when clrType == typeof(byte[]) => ValueKind.Binary,
        _ => ValueKind.Other,
    };

    /// <summary>The exact text of a value whose CLR type would round it or cannot hold it (a decimal of more
    /// than 28 digits, NaN): digits for numbers, a word such as NaN otherwise.</summary>
    public virtual string ReadExactText(DbDataReader reader, int ordinal) =>
        Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? "";

    /// <summary>A date or timestamp the provider reads as DateTime.MinValue or MaxValue because DateTime
    /// cannot hold it (PostgreSQL 'infinity'), by name; null when the value is that real date.</summary>
    public virtual string? SpecialDateTimeText(DbDataReader reader, int ordinal) => null;

    /// <summary>A faster way than the data reader to read an export's rows, where the engine has one and
    /// it fits the plan's columns; null to use the data reader.</summary>
    internal virtual Func<Export.ExportStatement, Export.IExportRows>? FastRows(DbConnection connection, Export.SqlExportPlan plan,
        TimeZoneInfo zone, Export.ISyncObserver observer, CancellationToken ct) => null;

    /// <summary>Turns a provider exception into what went wrong; null when it is not recognised.</summary>
    public abstract SyncErrorKind? Classify(Exception exception);

    /// <summary>Binds the value of placeholder <see cref="ParameterName"/>(<paramref name="index"/>). A keyset
    /// predicate uses a placeholder more than once, so binding must be by name; engines override this
    /// where the driver's defaults would lose precision or bind by position.</summary>
    public virtual void AddParameter(DbCommand command, int index, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = ParameterName(index);
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public static SqlDialect For(ProviderKind kind, string? providerPath = null) => kind switch
    {
        ProviderKind.PostgreSql => PostgreSqlDialect.Instance,
        ProviderKind.MySql => MySqlDialect.MySql,
        ProviderKind.MariaDb => MySqlDialect.MariaDb,
        ProviderKind.SqlServer => SqlServerDialect.Instance,
        ProviderKind.Oracle => new OracleDialect(providerPath),
        ProviderKind.Sqlite => SqliteDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a SQL provider."),
    };

    public const int DefaultConnectTimeoutSeconds = 15;

    /// <summary>The connect timeout to set, if any: the admin's -ConnectTimeout, else 15 s unless the
    /// connection string already says (Timeout, Connect Timeout, Connection Timeout — not Command Timeout).</summary>
    protected static int? ConnectTimeout(ConnectionSpec spec)
    {
        if (spec.ConnectTimeoutSeconds is int explicitSeconds) return explicitSeconds;
        if (spec.ConnectionString is null) return DefaultConnectTimeoutSeconds;
        var b = new DbConnectionStringBuilder();
        try { b.ConnectionString = spec.ConnectionString; } catch (ArgumentException) { return DefaultConnectTimeoutSeconds; }
        var given = b.Keys.Cast<string>().Any(k => k.Replace(" ", "").ToLowerInvariant() is "timeout" or "connecttimeout" or "connectiontimeout");
        return given ? null : DefaultConnectTimeoutSeconds;
    }

    protected static DbConnectionStringBuilder ParseConnectionString(DbConnectionStringBuilder builder, string text, ProviderKind kind)
    {
        try
        {
            builder.ConnectionString = text;
            return builder;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            // The provider's message may quote the offending fragment, which can hold a password: keep it out.
            throw new SyncException(SyncErrorKind.ConnectionStringInvalid,
                $"The {kind} connection string is malformed: {ConnectionStringProblem(builder.GetType(), text, kind)}", null, target: kind.ToString());
        }
    }

    /// <summary>Finds the pair at fault by trying each alone. Known keywords are named (they are the
    /// provider's words); values never are, nor unknown keywords, which may be a fragment of a password
    /// holding an unquoted ';' — those are given by position.</summary>
    private static string ConnectionStringProblem(Type builderType, string text, ProviderKind kind)
    {
        var pairs = new DbConnectionStringBuilder();
        try { pairs.ConnectionString = text; }
        catch (ArgumentException) { return "it is not a list of key=value pairs separated by semicolons (is a quote left open?)."; }
        var position = 0;
        foreach (string key in pairs.Keys)
        {
            position++;
            var probe = (DbConnectionStringBuilder)Activator.CreateInstance(builderType)!;
            try { _ = probe[key]; }
            catch (Exception) { return $"keyword {position} of {pairs.Count} is not one the {kind} provider knows (a password holding ';' must be quoted)."; }
            try { probe[key] = pairs[key]; }
            catch (Exception) { return $"the value of '{key}' is not valid."; }
        }
        return "its keywords do not fit together.";
    }
}
