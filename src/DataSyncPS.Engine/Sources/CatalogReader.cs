namespace DataSyncPS.Engine.Sources;

/// <summary>Lists a database's tables and views, for tab completion and discovery.</summary>
public static class CatalogReader
{
    public static async Task<IReadOnlyList<TableName>> ListTablesAsync(SyncSource source, CancellationToken ct)
    {
        var dialect = source.Dialect ?? throw new SyncException(SyncErrorKind.InvalidArgument, $"Source '{source.Name}' is not a database.");
        await using var connection = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = dialect.TablesSql;
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<TableName>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new TableName(r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1)));
        return list;
    }
}
