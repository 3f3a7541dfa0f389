using System.Collections;
using System.Collections.ObjectModel;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Reflection;
using DataSyncPS.Engine.Tables;

namespace DataSyncPS.Hosting;

/// <summary>
/// Reads piped objects as records for the engine: a hashtable's entries, or an object's properties, with
/// nested PowerShell objects unwrapped into plain dictionaries and lists. One reader serves one
/// pipeline: records with the same field names share one <see cref="RecordShape"/>.
/// <para>Enumerating <c>PSObject.Properties</c> builds a fresh collection through every member adapter
/// for each object, which cost more than the rest of Write-SyncTable together. A PSCustomObject
/// (Import-Csv rows, <c>[pscustomobject]@{...}</c>, API records) keeps its properties in its instance
/// members, read here directly; the first object of each shape is also read the public way, and only
/// shapes where both agree (no type data adding members) take the direct way afterwards.</para>
/// </summary>
internal sealed class PSObjectRecord
{
    // PSObject.InstanceMembers is internal; without it (another PowerShell) every object takes the public way.
    private static readonly Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>? InstanceMembers = InternalProperty<PSMemberInfoCollection<PSMemberInfo>>("InstanceMembers");
    // Enumerating those members copies them into a new list first; their OrderedDictionary is read in place.
    private static readonly FieldInfo? MembersTable = InstanceMembers is null ? null : FindMembersTable();
    // The public TypeNames hands each object its own copy of its type names, kept for it in a table the GC
    // must walk; the internal one is the shared, read-only list.
    private static readonly Func<PSObject, Collection<string>> TypeNames = InternalProperty<Collection<string>>("InternalTypeNames") ?? (o => o.TypeNames);

    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();
    private readonly List<object?> _values = new();
    private readonly Dictionary<string, bool> _nested = new(StringComparer.Ordinal);
    private Shape? _last;
    private string? _lastTypeName;
    private string _lastKind = "";

    /// <summary>A shape as read: by which way and, for the direct one, for which type name.</summary>
    private sealed record Shape(RecordShape Record, string Kind, bool Direct);

    public TableRecord Read(PSObject input)
    {
        _names.Clear();
        _values.Clear();
        if (input.BaseObject is IDictionary dict)
        {
            foreach (DictionaryEntry e in dict) Add(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e.Value);
            return Record(ShapeOf("", null));
        }
        if (input.BaseObject is PSCustomObject && InstanceMembers is not null)
        {
            var typeNames = TypeNames(input);
            var typeName = typeNames.Count > 0 ? typeNames[0] : "";
            if (!ReferenceEquals(typeName, _lastTypeName)) (_lastTypeName, _lastKind) = (typeName, "\u001e" + typeName);
            var members = InstanceMembers(input);
            if (MembersTable?.GetValue(members) is OrderedDictionary table)
            {
                for (var i = 0; i < table.Count; i++)
                    if (table[i] is PSPropertyInfo p) AddProperty(p);
            }
            else
                foreach (var member in members)
                    if (member is PSPropertyInfo p) AddProperty(p);
            var shape = ShapeOf(_lastKind, input);
            if (shape.Direct) return Record(shape);
            _names.Clear();
            _values.Clear();
        }
        foreach (var p in input.Properties) AddProperty(p);
        return Record(ShapeOf("", null));
    }

    private void AddProperty(PSPropertyInfo p)
    {
        if (!p.IsGettable) return;
        object? value;
        try { value = p.Value; }
        catch (GetValueException) { return; }
        Add(p.Name, value);
    }

    private void Add(string name, object? value)
    {
        _names.Add(name);
        _values.Add(value is null or string or ValueType ? value : Plain(value, 0));
    }

    private TableRecord Record(Shape shape) => new(shape.Record, _values.ToArray());

    /// <summary>The shape of the names just read: the last one when they match it (the usual case:
    /// every record alike), else one found or made by the names. <paramref name="direct"/> is the
    /// object whose names were read from its instance members: a new shape is then checked against
    /// the public way once, and trusted for that way only when both agree.</summary>
    private Shape ShapeOf(string kind, PSObject? direct)
    {
        if (_last is { } last && last.Kind == kind && Same(last.Record.Names, _names)) return last;
        var key = kind + "\u001f" + string.Join("\u001f", _names);
        if (!_shapes.TryGetValue(key, out var shape))
            _shapes[key] = shape = new Shape(new RecordShape(_names.ToArray()), kind, direct is not null && Same(PublicNames(direct), _names));
        _last = shape;
        return shape;
    }

    private static List<string> PublicNames(PSObject input) => input.Properties.Where(p => p.IsGettable).Select(p => p.Name).ToList();

    private static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < b.Count; i++)
            if (!ReferenceEquals(a[i], b[i]) && !string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
        return true;
    }

    private object? Plain(object? value, int depth)
    {
        if (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject)
                return depth > 32 ? pso.ToString() : Properties(pso, depth);
            value = pso.BaseObject;
        }
        return value switch
        {
            null or string or ValueType or byte[] => value,
            IDictionary d when depth <= 32 => d.Cast<DictionaryEntry>().ToDictionary(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e => Plain(e.Value, depth + 1)),
            IEnumerable seq when depth <= 32 => seq.Cast<object?>().Select(v => Plain(v, depth + 1)).ToList(),
            _ => value,
        };
    }

    /// <summary>A nested PSCustomObject as a dictionary, read the direct way when its type name and
    /// names were seen to agree with the public way.</summary>
    private Dictionary<string, object?> Properties(PSObject pso, int depth)
    {
        var d = new Dictionary<string, object?>();
        if (InstanceMembers is not null)
        {
            foreach (var member in InstanceMembers(pso))
                if (member is PSPropertyInfo { IsGettable: true } p) Put(d, p, depth);
            var typeNames = TypeNames(pso);
            var key = (typeNames.Count > 0 ? typeNames[0] : "") + "\u001f" + string.Join("\u001f", d.Keys);
            if (!_nested.TryGetValue(key, out var agrees)) _nested[key] = agrees = Same(PublicNames(pso), d.Keys.ToList());
            if (agrees) return d;
            d.Clear();
        }
        foreach (var p in pso.Properties)
            if (p.IsGettable) Put(d, p, depth);
        return d;
    }

    private void Put(Dictionary<string, object?> d, PSPropertyInfo p, int depth)
    {
        try { d[p.Name] = Plain(p.Value, depth + 1); }
        catch (GetValueException) { }
    }

    private static FieldInfo? FindMembersTable()
    {
        var collection = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.NonPublic | BindingFlags.Instance)?.PropertyType;
        var field = collection?.GetField("_members", BindingFlags.NonPublic | BindingFlags.Instance);
        return field?.FieldType == typeof(OrderedDictionary) ? field : null;
    }

    /// <summary>A getter of an internal PSObject property as a delegate; null when this PowerShell has none of that type.</summary>
    private static Func<PSObject, T>? InternalProperty<T>(string name) where T : class
    {
        try
        {
            var getter = typeof(PSObject).GetProperty(name, BindingFlags.NonPublic | BindingFlags.Instance)?.GetGetMethod(nonPublic: true);
            return getter is null || !typeof(T).IsAssignableFrom(getter.ReturnType) ? null
                : (Func<PSObject, T>)Delegate.CreateDelegate(typeof(Func<PSObject, T>), getter);
        }
        catch (Exception ex) when (ex is ArgumentException or MemberAccessException)
        {
            return null;
        }
    }
}
