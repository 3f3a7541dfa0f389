namespace DataSyncPS.Engine.Schema;

/// <summary>Compare-DbSchema's engine: both catalogs read at once, compared, and the migration script.</summary>
public static class SchemaComparison
{
    public static async Task<(IReadOnlyList<SchemaDifference> Differences, string Script)> RunAsync(SyncSource reference, SyncSource difference,
        SchemaFilter filter, IReadOnlyList<string>? schemas, CancellationToken ct)
    {
        var left = CatalogReading.ReadAsync(reference, schemas, ct);
        var right = CatalogReading.ReadAsync(difference, schemas, ct);
        await Task.WhenAll(left, right).ConfigureAwait(false);
        var differences = SchemaComparer.Compare(left.Result, right.Result, filter, reference.Name, difference.Name);
        return (differences, differences.Count == 0 ? "" : SchemaComparer.Script(differences, left.Result, right.Result));
    }
}
