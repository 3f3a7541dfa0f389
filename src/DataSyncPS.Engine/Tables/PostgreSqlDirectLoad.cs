using Npgsql;
using NpgsqlTypes;

namespace DataSyncPS.Engine.Tables;

/// <summary>
/// Whether a batch may be copied straight into the table instead of upserted, read once from the
/// catalog. A direct COPY must do what the upsert's INSERT would, and fail (with a unique violation,
/// which sends the batch to the upsert) wherever the upsert would find a conflict; so the key must be a
/// plain, immediate unique index (what ON CONFLICT needs; else the upsert's own error), and the table
/// must have no rules (COPY ignores them), no row security (COPY refuses it), no statement trigger on
/// UPDATE (the upsert fires it), and no row trigger BEFORE INSERT (one can skip a row, which the upsert
/// counts as unchanged and a raw COPY cannot count); a partitioned table is left to the upsert too. An
/// identity column GENERATED ALWAYS is left to the INSERT, which
/// refuses a value for it where COPY would take one; a column staged as text and cast by the server
/// (<see cref="ColumnKind.Other"/>) takes the upsert's cast. Whether the table is partitioned is read
/// here too: the upsert counts its inserts another way there (no xmax in RETURNING).
/// </summary>
internal sealed class PostgreSqlDirectLoad
{
    private readonly HashSet<string> _generatedAlways;

    private PostgreSqlDirectLoad(bool allowed, IEnumerable<string> generatedAlways, bool partitioned)
    {
        Allowed = allowed;
        Partitioned = partitioned;
        _generatedAlways = new HashSet<string>(generatedAlways, StringComparer.Ordinal);
    }

    /// <summary>A partitioned table, whose RETURNING refuses system columns.</summary>
    public bool Partitioned { get; }

    /// <summary>True until a batch meets a key already there.</summary>
    public bool Allowed { get; set; }

    public bool Fits(IReadOnlyList<TableColumn> columns) =>
        Allowed && columns.All(c => c.Kind != ColumnKind.Other && !_generatedAlways.Contains(c.Name));

    public static async Task<PostgreSqlDirectLoad> ReadAsync(NpgsqlConnection connection, string quotedTable, IReadOnlyList<string> keys, CancellationToken ct)
    {
        const string sql = """
            SELECT c.relkind = 'r' AND NOT c.relhasrules AND NOT c.relrowsecurity
              AND EXISTS (SELECT 1 FROM pg_index i
                  WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indisvalid
                    AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts = cardinality(@keys)
                    AND ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY(i.indkey) ORDER BY 1)
                        = ARRAY(SELECT k FROM unnest(@keys) k ORDER BY 1))
              AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                  WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND (t.tgtype & 1) = 0 AND (t.tgtype & 16) <> 0)
              AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                  WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
                    AND (t.tgtype & 1) <> 0 AND (t.tgtype & 2) <> 0 AND (t.tgtype & 4) <> 0),
              ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity = 'a' AND NOT a.attisdropped),
              c.relkind = 'p'
            FROM pg_class c WHERE c.oid = @table::regclass
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.ToArray() });
        cmd.Parameters.AddWithValue("table", quotedTable);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false)) return new PostgreSqlDirectLoad(false, [], false);
        return new PostgreSqlDirectLoad(reader.GetBoolean(0), reader.GetFieldValue<string[]>(1), reader.GetBoolean(2));
    }
}
