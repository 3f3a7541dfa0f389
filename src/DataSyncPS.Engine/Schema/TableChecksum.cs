using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>A table's row count and a content checksum computed by the server (no row crosses the wire): the
/// sum of a hash of each row's text, so it does not depend on the order rows are read in, and the sums of
/// a table's key ranges add up to the table's. PostgreSQL hashes with MD5 folded to 60 bits (the same on
/// every version and platform, unlike hashtext); MySQL/MariaDB with CRC32, which misses a changed row once
/// in four billion and costs half what MD5 and its hex conversion cost there, in a validation that rereads
/// every row on both servers.</summary>
internal static class TableChecksum
{
    public static async Task<(long Rows, string Checksum)> ReadAsync(SqlDialect dialect, DbConnection c, DbTable table, CancellationToken ct) =>
        await ReadAsync(dialect, c, table, KeyRange.Whole, ct).ConfigureAwait(false);

    public static async Task<(long Rows, string Checksum)> ReadAsync(SqlDialect dialect, DbConnection c, DbTable table, KeyRange range, CancellationToken ct)
    {
        var columns = table.Columns.Select(x => dialect.QuoteIdentifier(x.Name)).ToList();
        var t = dialect.QuoteTable(table.TableName);
        var sql = dialect.Kind == ProviderKind.PostgreSql
            ? $"SELECT count(*), coalesce(sum(('x' || substr(md5(ROW({string.Join(", ", columns)})::text), 1, 15))::bit(60)::bigint), 0)::text FROM {t}"
            : $"SELECT COUNT(*), CAST(COALESCE(SUM(CRC32(CONCAT_WS(',', {string.Join(", ", columns.Select(x => "QUOTE(" + x + ")"))}))), 0) AS CHAR) FROM {t}";
        var (where, args) = range.Predicate(dialect, (table.PrimaryKey?.Columns ?? []).Select(dialect.QuoteIdentifier).ToList());
        if (where.Length > 0) sql += " WHERE " + where;
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Count; i++) dialect.AddParameter(cmd, i, args[i]);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (Convert.ToInt64(r.GetValue(0)), Convert.ToString(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)!);
    }
}
