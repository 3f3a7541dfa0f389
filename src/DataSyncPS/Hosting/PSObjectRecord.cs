using System.Collections;
using System.Management.Automation;

namespace DataSyncPS.Hosting;

/// <summary>Reads a piped object as a record for the engine: a hashtable's entries, or an object's
/// properties, with nested PowerShell objects unwrapped into plain dictionaries and lists.</summary>
internal static class PSObjectRecord
{
    public static IEnumerable<KeyValuePair<string, object?>> From(PSObject input)
    {
        if (input.BaseObject is IDictionary dict)
        {
            foreach (DictionaryEntry e in dict)
                yield return new(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", Plain(e.Value, 0));
            yield break;
        }
        foreach (var p in input.Properties)
        {
            if (!p.IsGettable) continue;
            object? value;
            try { value = p.Value; }
            catch (GetValueException) { continue; }
            yield return new(p.Name, Plain(value, 0));
        }
    }

    private static object? Plain(object? value, int depth)
    {
        if (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject)
                return depth > 32 ? pso.ToString() : From(pso).ToDictionary(kv => kv.Key, kv => Plain(kv.Value, depth + 1));
            value = pso.BaseObject;
        }
        return value switch
        {
            null or string or ValueType or byte[] => value,
            IDictionary d when depth <= 32 => d.Cast<DictionaryEntry>().ToDictionary(e => Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", e => Plain(e.Value, depth + 1)),
            IEnumerable seq when depth <= 32 => seq.Cast<object?>().Select(v => Plain(v, depth + 1)).ToList(),
            _ => value,
        };
    }
}
