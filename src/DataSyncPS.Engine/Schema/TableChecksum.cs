using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>A table's row count and a content checksum computed by the server (no row crosses the wire): the
/// sum of a hash of each row's text, so it does not depend on the order rows are read in, and the sums of
/// a table's key ranges add up to the table's. The hash is 32 bits, which misses a changed row once in four
/// billion: CRC32 on MySQL/MariaDB, hashtext on PostgreSQL, BINARY_CHECKSUM on SQL Server (unchanged across the versions in use, though not between
/// a little- and a big-endian server, which would fail validation, never pass it wrongly). MD5, folded to
/// 60 bits as before, cost twice as much in a validation that rereads every row on both servers. On
/// PostgreSQL the row's text depends on the session's time zone and output styles, which the two servers
/// may set differently: they are pinned first.</summary>
internal static class TableChecksum
{
    private const string PostgreSqlTextSettings =
        "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'";

    public static async Task<(long Rows, string Checksum)> ReadAsync(SqlDialect dialect, DbConnection c, DbTable table, CancellationToken ct) =>
        await ReadAsync(dialect, c, table, KeyRange.Whole, ct).ConfigureAwait(false);

    public static async Task<(long Rows, string Checksum)> ReadAsync(SqlDialect dialect, DbConnection c, DbTable table, KeyRange range, CancellationToken ct)
    {
        var (sql, args) = Sql(dialect, table, range);
        if (dialect.Kind == ProviderKind.PostgreSql)
        {
            await using var settings = c.CreateCommand();
            settings.CommandText = PostgreSqlTextSettings;
            await settings.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Count; i++) dialect.AddParameter(cmd, i, args[i]);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (Convert.ToInt64(r.GetValue(0)), Convert.ToString(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)!);
    }

    /// <summary>The count-and-checksum query of <paramref name="range"/>, and its arguments.</summary>
    internal static (string Sql, List<object?> Args) Sql(SqlDialect dialect, DbTable table, KeyRange range)
    {
        var columns = table.Columns.Select(x => dialect.QuoteIdentifier(x.Name)).ToList();
        var t = dialect.QuoteTable(table.TableName);
        var sql = dialect.Kind switch
        {
            ProviderKind.PostgreSql => $"SELECT count(*), coalesce(sum(hashtext(ROW({string.Join(", ", columns)})::text)::bigint), 0)::text FROM {t}",
            ProviderKind.SqlServer => SqlServerSql(dialect, table, t),
            _ => $"SELECT COUNT(*), CAST(COALESCE(SUM(CRC32(CONCAT_WS(',', {string.Join(", ", columns.Select(x => "QUOTE(" + x + ")"))}))), 0) AS CHAR) FROM {t}",
        };
        var (where, args) = range.Predicate(dialect, (table.PrimaryKey?.Columns ?? []).Select(dialect.QuoteIdentifier).ToList());
        if (where.Length > 0) sql += " WHERE " + where;
        return (sql, args);
    }

    /// <summary>SQL Server: BINARY_CHECKSUM of the row, each value cast to varbinary(max) first: on strings it
    /// reads only the first 255 characters and it skips text, ntext, image, xml and CLR values, but it reads
    /// a varbinary(max) whole. Both sides are SQL Server, so the bytes of a value are the same on both.
    /// rowversion columns differ between two databases by design and are left out. Summed as bigint: the
    /// hashes are signed and cancel out far before 2^63.</summary>
    private static string SqlServerSql(SqlDialect dialect, DbTable table, string t)
    {
        var values = table.Columns.Where(c => !SqlServerPageLoader.ServerAssigned(c))
            .Select(c => $"CAST({dialect.QuoteIdentifier(c.Name)} AS varbinary(max))").ToList();
        var hash = values.Count == 0 ? "0" : $"CAST(BINARY_CHECKSUM({string.Join(", ", values)}) AS bigint)";
        return $"SELECT COUNT_BIG(*), CAST(COALESCE(SUM({hash}), 0) AS varchar(20)) FROM {t}";
    }
}
