using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Which objects a comparison or copy looks at: table (and view) name patterns with wildcards.</summary>
public sealed record SchemaFilter(IReadOnlyList<string>? Tables = null, IReadOnlyList<string>? ExcludeTables = null)
{
    public bool HasTableFilter => Tables is { Count: > 0 };

    public bool Includes(TableName name)
    {
        // A pattern with a dot names schema.table; without one, the table alone (so *i* does not match every table of "public").
        bool Match(string pattern) => pattern.Contains('.') ? Wildcard.IsMatch(pattern, name.ToString()) : Wildcard.IsMatch(pattern, name.Name);
        if (Tables is { Count: > 0 } && !Tables.Any(Match)) return false;
        return ExcludeTables is null || !ExcludeTables.Any(Match);
    }
}

/// <summary>Compares two catalogs of one engine item by item and writes, for each difference, the DDL that
/// makes the difference side match the reference.</summary>
public static class SchemaComparer
{
    public static IReadOnlyList<SchemaDifference> Compare(DbCatalog reference, DbCatalog difference, SchemaFilter filter,
        string? referenceName = null, string? differenceName = null)
    {
        if (Family(reference.Provider) != Family(difference.Provider))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"Cannot compare a {reference.Provider} schema with a {difference.Provider} one: both sides must be the same engine.");
        var scripter = DdlScripter.For(reference.Provider);
        var left = Filtered(scripter.Items(reference), filter).ToList();
        var right = Filtered(scripter.Items(difference), filter).ToList();
        var rightByKey = right.ToDictionary(i => (i.Kind, i.Key));
        var leftByKey = left.ToDictionary(i => (i.Kind, i.Key));
        var leftTables = left.Where(i => i.Kind == SchemaObjectKind.Table).Select(i => i.Key).ToHashSet();
        var rightTables = right.Where(i => i.Kind == SchemaObjectKind.Table).Select(i => i.Key).ToHashSet();
        var result = new List<SchemaDifference>();

        SchemaDifference Make(SchemaItem item, SchemaChange change, SchemaItem? other, IReadOnlyList<DdlStatement> ddl) => new()
        {
            ObjectKind = item.Kind,
            Name = item.Name,
            Table = item.TableName?.ToString(),
            Change = change,
            ReferenceDefinition = change == SchemaChange.Removed ? null : (change == SchemaChange.Added ? item : other!).Definition,
            DifferenceDefinition = change == SchemaChange.Added ? null : (change == SchemaChange.Removed ? item : item).Definition,
            Ddl = scripter.Script(ddl).TrimEnd('\n'),
            LosesData = ddl.Any(s => s.LosesData),
            Reference = referenceName,
            Difference = differenceName,
            Statements = ddl,
        };

        foreach (var l in left)
        {
            // A new table brings its columns, keys and indexes; its foreign keys and triggers stay items of their own.
            if (IsPartOfTable(l.Kind) && l.Table is not null && !rightTables.Contains(l.Table.TableName.ToString())) continue;
            if (!rightByKey.TryGetValue((l.Kind, l.Key), out var r))
                result.Add(Make(l, SchemaChange.Added, null, scripter.Create(l, reference)));
            else if (l.Definition != r.Definition)
                result.Add(Make(r, SchemaChange.Changed, l, [.. scripter.Alter(l, r, reference), .. DependentViews(scripter, l, reference, difference)]));
        }
        foreach (var r in right)
        {
            if (IsPartOfTable(r.Kind) && r.Table is not null && !leftTables.Contains(r.Table.TableName.ToString())) continue;
            if (!leftByKey.ContainsKey((r.Kind, r.Key)))
                result.Add(Make(r, SchemaChange.Removed, null, scripter.Drop(r)));
        }
        return result;
    }

    /// <summary>The migration of <paramref name="differences"/> as ordered statements: by phase, tables created
    /// in foreign-key order and dropped in reverse.</summary>
    public static IReadOnlyList<DdlStatement> Order(IEnumerable<SchemaDifference> differences, DbCatalog reference, DbCatalog difference)
    {
        var (order, _) = ForeignKeyOrder.Sort([.. reference.Tables, .. difference.Tables.Where(t => reference.FindTable(t.TableName) is null)]);
        var rank = order.Select((t, i) => (t.TableName, i)).ToDictionary(x => x.TableName, x => x.i);
        int Rank(DdlStatement s) => s.Table is { } t && rank.TryGetValue(t, out var i) ? i : -1;
        var ordered = differences.SelectMany(d => d.Statements)
            .Distinct()
            .Select((s, i) => (s, i))
            .OrderBy(x => x.s.Phase)
            .ThenBy(x => x.s.Phase == DdlPhase.DropTables ? -Rank(x.s) : x.s.Phase == DdlPhase.CreateTables ? Rank(x.s) : 0)
            .ThenBy(x => x.i)
            .Select(x => x.s).ToList();
        return ViewsAfterTheViewsTheyRead(ordered, DdlScripter.For(reference.Provider), reference);
    }

    /// <summary>A view that reads another view is created after it: a CREATE VIEW statement moves behind
    /// every other created view it reads — as the catalog says (<see cref="DbView.Reads"/>), or else
    /// whose quoted name its text holds (cycles cannot exist among views). A statement names its view in
    /// <see cref="DdlStatement.Table"/>, or else in its text.</summary>
    internal static List<DdlStatement> ViewsAfterTheViewsTheyRead(List<DdlStatement> statements, DdlScripter scripter, DbCatalog reference)
    {
        var creates = statements.Where(s => s.Phase == DdlPhase.CreateViews).ToList();
        if (creates.Count < 2) return statements;
        var names = reference.Views.Select(v => (View: v, Quoted: scripter.Q(v.TableName))).ToList();
        DbView? Creates(DdlStatement s) => s.Table is { } t
            ? reference.Views.FirstOrDefault(v => v.TableName == t)
            : names.FirstOrDefault(n => s.Sql.Contains(" VIEW " + n.Quoted + " AS ", StringComparison.Ordinal)).View;
        bool Reads(DdlStatement s, DbView other) => Creates(s) is { Reads: { } reads }
            ? reads.Contains(other.TableName)
            : s.Sql.Contains(scripter.Q(other.TableName), StringComparison.Ordinal);
        var placed = new List<DdlStatement>();
        var pending = new List<DdlStatement>(creates);
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(s => !pending.Any(o => o != s && Creates(o) is { } other && other != Creates(s) && Reads(s, other)))
                ?? pending[0];
            placed.Add(next);
            pending.Remove(next);
        }
        var at = statements.IndexOf(creates[0]);
        var rest = statements.Where(s => s.Phase != DdlPhase.CreateViews).ToList();
        rest.InsertRange(at, placed);
        return rest;
    }

    public static string Script(IEnumerable<SchemaDifference> differences, DbCatalog reference, DbCatalog difference) =>
        DdlScripter.For(reference.Provider).Script(Order(differences, reference, difference));

    /// <summary>PostgreSQL refuses to change a column's type while a view reads it: the views on its table
    /// are dropped before and created again after.</summary>
    private static IEnumerable<DdlStatement> DependentViews(DdlScripter scripter, SchemaItem changed, DbCatalog reference, DbCatalog difference)
    {
        if (reference.Provider != ProviderKind.PostgreSql || changed.Kind != SchemaObjectKind.Column || changed.Table is not { } t) yield break;
        var name = scripter.Q(t.TableName);
        foreach (var v in reference.Views.Where(v => v.Definition.Contains(name, StringComparison.Ordinal)
                     || v.Definition.Contains(t.TableName.ToString(), StringComparison.Ordinal)))
        {
            var item = new SchemaItem(SchemaObjectKind.View, v.TableName.ToString(), v.TableName.ToString(), null, v.Definition, v);
            if (difference.Views.Any(x => x.TableName == v.TableName)) foreach (var s in scripter.Drop(item)) yield return s;
            foreach (var s in scripter.Create(item, reference)) yield return s;
        }
    }

    private static bool IsPartOfTable(SchemaObjectKind kind) => kind is SchemaObjectKind.Column or SchemaObjectKind.PrimaryKey
        or SchemaObjectKind.UniqueConstraint or SchemaObjectKind.Index or SchemaObjectKind.CheckConstraint;

    private static IEnumerable<SchemaItem> Filtered(IEnumerable<SchemaItem> items, SchemaFilter filter) => items.Where(i =>
        i.Payload switch
        {
            DbView v => filter.Includes(v.TableName),
            DbTrigger g => filter.Includes(new TableName(g.Schema, g.Table)),
            DbRoutine or DbSequence or DbEnumType => !filter.HasTableFilter,
            _ => i.Table is null || filter.Includes(i.Table.TableName),
        });

    private static ProviderKind Family(ProviderKind p) => p == ProviderKind.MariaDb ? ProviderKind.MySql : p;
}
