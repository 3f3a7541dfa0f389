using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>Tables ordered so that a table comes after the tables its foreign keys point at. Tables on a
/// cycle (and self-references) cannot be ordered so: they come in name order after the rest can, and the
/// foreign keys that close a cycle are listed so the copier adds them once every table exists.</summary>
public static class ForeignKeyOrder
{
    public static (IReadOnlyList<DbTable> Order, IReadOnlyList<(DbTable Table, DbForeignKey Key)> CycleKeys) Sort(IReadOnlyList<DbTable> tables)
    {
        var byName = tables.ToDictionary(t => t.TableName);
        var placed = new HashSet<TableName>();
        var order = new List<DbTable>();
        var cycleKeys = new List<(DbTable, DbForeignKey)>();
        var remaining = tables.OrderBy(t => t.TableName.ToString(), StringComparer.Ordinal).ToList();

        bool Ready(DbTable t) => t.ForeignKeys.All(f => Ref(t, f) is not { } r || r == t.TableName || placed.Contains(r) || !byName.ContainsKey(r));
        TableName? Ref(DbTable t, DbForeignKey f) => new TableName(f.ReferencedTable.Schema ?? t.Schema, f.ReferencedTable.Name);

        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(Ready);
            if (ready is null)
            {
                // A cycle: place the table with fewest unmet references; those references are cycle keys.
                ready = remaining.OrderBy(t => t.ForeignKeys.Count(f => Ref(t, f) is { } r && r != t.TableName && !placed.Contains(r) && byName.ContainsKey(r))).First();
                foreach (var f in ready.ForeignKeys)
                    if (Ref(ready, f) is { } r && r != ready.TableName && !placed.Contains(r) && byName.ContainsKey(r)) cycleKeys.Add((ready, f));
            }
            foreach (var f in ready.ForeignKeys)
                if (Ref(ready, f) == ready.TableName) cycleKeys.Add((ready, f));
            order.Add(ready);
            placed.Add(ready.TableName);
            remaining.Remove(ready);
        }
        return (order, cycleKeys);
    }
}
