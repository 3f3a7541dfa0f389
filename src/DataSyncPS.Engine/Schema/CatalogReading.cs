using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Reads a source's whole catalog into a <see cref="DbCatalog"/>: the one entry point, which
/// picks the engine's <see cref="CatalogReader"/>; and the row helpers the readers share.</summary>
public static class CatalogReading
{
    /// <param name="schemas">PostgreSQL and SQL Server schemas to read; null for every schema that is not the system's.</param>
    public static async Task<DbCatalog> ReadAsync(SyncSource source, IReadOnlyList<string>? schemas, CancellationToken ct)
    {
        var reader = Reader(source.Provider);
        await using var connection = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
        return await reader.ReadCatalogAsync(connection, schemas, ct).ConfigureAwait(false);
    }

    public static Task<DbCatalog> ReadAsync(ProviderKind provider, DbConnection connection, IReadOnlyList<string>? schemas, CancellationToken ct) =>
        Reader(provider).ReadCatalogAsync(connection, schemas, ct);

    private static CatalogReader Reader(ProviderKind provider) => provider == ProviderKind.LaravelLog
        ? throw new SyncException(SyncErrorKind.InvalidArgument, "A Laravel log folder has no schema to compare or copy.")
        : CatalogReader.For(SqlDialect.For(provider));

    internal static async Task<List<object?[]>> RowsAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = parameters[i] ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        var rows = new List<object?[]>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    internal static string? Text(object? value) => value switch
    {
        null => null,
        byte[] b => System.Text.Encoding.UTF8.GetString(b),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
