using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>One key range's row counts and checksums on both servers (<see cref="TableChecksum"/>), read
/// side by side: each server works on its own half at once.</summary>
internal sealed record RangeCheck(long SourceRows, string SourceChecksum, long TargetRows, string TargetChecksum)
{
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;

    public static async Task<RangeCheck> ReadAsync(DbTable table, KeyRange range, SqlDialect sourceDialect, DbConnection source,
        SqlDialect targetDialect, DbConnection target, CancellationToken ct)
    {
        var s = TableChecksum.ReadAsync(sourceDialect, source, table, range, ct);
        var t = TableChecksum.ReadAsync(targetDialect, target, table, range, ct);
        await Task.WhenAll(s, t).ConfigureAwait(false);
        return new RangeCheck((await s.ConfigureAwait(false)).Rows, (await s.ConfigureAwait(false)).Checksum,
            (await t.ConfigureAwait(false)).Rows, (await t.ConfigureAwait(false)).Checksum);
    }
}
