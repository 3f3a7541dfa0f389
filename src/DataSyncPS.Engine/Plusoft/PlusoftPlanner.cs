using System.Data.Common;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// Resolves the entities' mappings against the source's catalog before anything is sent: the view
/// exists, and every column the mapping names (fields, key, cursor) is one of its columns; all unknown
/// columns of an entity are named in one error. Column names match exactly, else ignoring case
/// (Oracle and the Consinco views are upper case, PostgreSQL folds unquoted names to lower case).
/// </summary>
public static class PlusoftPlanner
{
    public static async Task<IReadOnlyList<PlusoftEntityPlan>> CreateAsync(SyncSource source, string mappingOrigin,
        IReadOnlyList<EntityMapping> entities, CancellationToken ct)
    {
        if (source.Dialect is null)
            throw new SyncException(SyncErrorKind.InvalidArgument, $"Source '{source.Name}' is a {source.Provider} source, not a database; Sync-Plusoft reads views of a database.");
        await using var connection = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
        var plans = new List<PlusoftEntityPlan>();
        foreach (var entity in entities)
        {
            try { plans.Add(await PlanAsync(source, mappingOrigin, entity, connection, ct).ConfigureAwait(false)); }
            catch (DbException ex)
            {
                throw new SyncException(source.Dialect.Classify(ex) ?? SyncErrorKind.QueryFailed,
                    $"Reading the columns of '{entity.Source}' ({entity.Entity.Name}) from {source.Provider} {source.Location} failed: {ex.Message}", ex, entity.Source);
            }
        }
        return plans;
    }

    private static async Task<PlusoftEntityPlan> PlanAsync(SyncSource source, string origin, EntityMapping entity, DbConnection connection, CancellationToken ct)
    {
        var keys = entity.KeyColumns;
        SqlExportPlan table;
        try
        {
            table = await SqlExportPlan.CreateAsync(new ExportRequest
            {
                Source = source,
                Table = entity.Source,
                Stream = entity.Entity.Name,
                OutputDirectory = ".",
                Incremental = true,
                // Without a cursor the keyset is the key alone: a whole-view sync resumes by key after a crash.
                CursorColumn = entity.CursorColumn ?? keys[0],
                KeyColumns = keys,
            }, connection, ct).ConfigureAwait(false);
        }
        catch (SyncException ex) when (ex.Kind is SyncErrorKind.TableNotFound or SyncErrorKind.ColumnNotFound or SyncErrorKind.IdentifierInvalid)
        {
            throw new SyncException(ex.Kind, $"Mapping '{origin}', {entity.Entity.Name}: {ex.Message}", ex, ex.Target);
        }

        var catalog = table.CatalogTypes!.Keys.ToList();
        string? Resolve(string name) => catalog.FirstOrDefault(c => c == name) ?? catalog.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        var unknown = entity.Fields.Where(f => f.Column is not null && Resolve(f.Column) is null).Select(f => $"{f.Column} (field {f.Field.Name})").ToList();
        if (unknown.Count > 0)
            throw new SyncException(SyncErrorKind.ColumnNotFound,
                $"Mapping '{origin}', {entity.Entity.Name}: {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a column" : "are not columns")} of '{entity.Source}'. " +
                $"Its columns are: {string.Join(", ", catalog)}.", target: entity.Source);

        // The columns read: each once, mapped ones first, then the keyset's.
        var columns = new List<string>();
        int Ordinal(string resolved)
        {
            var i = columns.IndexOf(resolved);
            if (i >= 0) return i;
            columns.Add(resolved);
            return columns.Count - 1;
        }
        var fieldOrdinals = entity.Fields.Select(f => f.Column is null ? -1 : Ordinal(Resolve(f.Column)!)).ToList();
        var keysetOrdinals = table.KeysetColumns.Select(Ordinal).ToList();
        var dialect = table.Dialect;
        return new PlusoftEntityPlan
        {
            Mapping = entity,
            Query = new SqlExportPlan
            {
                Dialect = dialect,
                Stream = entity.Entity.Name,
                Relation = table.Relation,
                SelectList = string.Join(", ", columns.Select(dialect.QuoteIdentifier)),
                KeysetColumns = table.KeysetColumns,
                CatalogTypes = table.CatalogTypes,
            },
            FieldOrdinals = fieldOrdinals,
            KeysetOrdinals = keysetOrdinals,
        };
    }
}
