using System.Data.Common;
using System.Globalization;
using DataSyncPS.Engine.Sources;
using Npgsql;

namespace DataSyncPS.Engine.Schema;

/// <summary>PostgreSQL pages: the source's binary COPY streamed as it is into the target's binary COPY,
/// counting tuples on the way. Inside the run's transaction (a copy without -Parallel) each page has a
/// savepoint, so a refused page is rolled back alone and tried again smaller.</summary>
internal sealed class PostgreSqlPageLoader : PageLoader
{
    private const string Savepoint = "datasync_page";
    private readonly NpgsqlConnection _target;
    private readonly DbTransaction? _transaction;
    private readonly bool _owned;
    private readonly SqlDialect _dialect;

    private PostgreSqlPageLoader(NpgsqlConnection target, DbTransaction? transaction, bool owned, SqlDialect dialect, string table, IReadOnlyList<string> columns)
        : base(table, columns)
    {
        _target = target;
        _transaction = transaction;
        _owned = owned;
        _dialect = dialect;
    }

    /// <summary>Loads through the run's own connection and transaction, which it does not close.</summary>
    public static PostgreSqlPageLoader InTransaction(DbConnection target, DbTransaction transaction, SqlDialect dialect, string table, IReadOnlyList<string> columns) =>
        new((NpgsqlConnection)target, transaction, owned: false, dialect, table, columns);

    /// <summary>Loads through a connection of its own, each page committed as it is loaded.</summary>
    public static async Task<PostgreSqlPageLoader> OpenAsync(SyncSource target, string table, IReadOnlyList<string> columns, CancellationToken ct) =>
        new((NpgsqlConnection)await SourceConnector.OpenAsync(target, ct).ConfigureAwait(false), null, owned: true, target.Dialect!, table, columns);

    public override DbConnection Connection => _target;

    // COPY (query) cannot take parameters: the page's bounds go in as literals of their own type.
    public override Func<object?, string>? Inline => Literal;

    public override async Task<long> LoadAsync(DbConnection source, string select, IReadOnlyList<object?> args, CancellationToken ct)
    {
        if (_transaction is not null) await _transaction.SaveAsync(Savepoint, ct).ConfigureAwait(false);
        long rows;
        await using (var reader = await ((NpgsqlConnection)source).BeginRawBinaryCopyAsync($"COPY ({select}) TO STDOUT (FORMAT BINARY)", ct).ConfigureAwait(false))
        await using (var writer = await _target.BeginRawBinaryCopyAsync(
                         $"COPY {Table} ({string.Join(", ", Columns.Select(_dialect.QuoteIdentifier))}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
            rows = await CopyCountingAsync(reader, writer, ct).ConfigureAwait(false);
        if (_transaction is not null) await _transaction.ReleaseAsync(Savepoint, ct).ConfigureAwait(false);
        return rows;
    }

    // 54000 program_limit_exceeded: a row or message beyond what the server allocates in one piece.
    public override bool IsTooLarge(Exception exception) => exception is PostgresException { SqlState: "54000" };

    public override async Task RecoverAsync(CancellationToken ct)
    {
        if (_transaction is not null) await _transaction.RollbackAsync(Savepoint, ct).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_owned) await _target.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A key value as a PostgreSQL literal: numbers bare, everything else quoted (an untyped
    /// literal takes the column's type from the comparison).</summary>
    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "true" : "false",
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        double d => Quote(d.ToString("R", CultureInfo.InvariantCulture)),
        float f => Quote(f.ToString("R", CultureInfo.InvariantCulture)),
        DateTime d => Quote(d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        DateTimeOffset d => Quote(d.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)),
        DateOnly d => Quote(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => Quote(t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        TimeSpan t => Quote(t.ToString("c", CultureInfo.InvariantCulture)),
        byte[] bytes => Quote("\\x" + Convert.ToHexString(bytes)),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture)!),
    };

    private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>Copies the binary COPY stream as it is and counts its tuples (each starts with a 16-bit field
    /// count; the trailer is -1), so the page's row count is checked without decoding a value.</summary>
    private static async Task<long> CopyCountingAsync(Stream from, Stream to, CancellationToken ct)
    {
        var counter = new BinaryCopyTupleCounter();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            counter.Feed(buffer.AsSpan(0, n));
            await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        return counter.Tuples;
    }
}
