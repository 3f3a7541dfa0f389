using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Backup;

/// <summary>Exact row counts of every base table of a database, "schema.table" → rows.</summary>
internal static class RowCounts
{
    public static async Task<IReadOnlyDictionary<string, long>> ReadAsync(SyncSource database, EngineTools tools, CancellationToken ct)
    {
        var tables = new List<(string Schema, string Name)>();
        await using var c = await SourceConnector.OpenAsync(database, ct).ConfigureAwait(false);
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = tools.TablesSql;
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) tables.Add((r.GetString(0), r.GetString(1)));
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (schema, name) in tables)
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM {database.Dialect!.QuoteIdentifier(schema)}.{database.Dialect.QuoteIdentifier(name)}";
            counts[$"{schema}.{name}"] = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
        }
        return counts;
    }
}
