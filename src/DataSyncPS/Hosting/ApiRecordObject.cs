using System.Collections;
using System.Management.Automation;

namespace DataSyncPS.Hosting;

/// <summary>An API record (plain dictionaries and lists from the engine) as a PowerShell object:
/// properties in the API's order, nested objects as objects, arrays as arrays, and a type name
/// (DataSyncPS.Auvo.customers) that format views and scripts can use.</summary>
internal static class ApiRecordObject
{
    public static PSObject From(IEnumerable<KeyValuePair<string, object?>> record, string typeName)
    {
        var o = Object(record);
        o.TypeNames.Insert(0, typeName);
        return o;
    }

    private static PSObject Object(IEnumerable<KeyValuePair<string, object?>> record)
    {
        var o = new PSObject();
        foreach (var (name, value) in record) o.Properties.Add(new PSNoteProperty(name, Value(value)));
        return o;
    }

    private static object? Value(object? value) => value switch
    {
        IEnumerable<KeyValuePair<string, object?>> nested => Object(nested),
        IList list => list.Cast<object?>().Select(Value).ToArray(),
        _ => value,
    };
}
