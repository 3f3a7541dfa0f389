using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DataSyncPS.Hosting;

/// <summary>
/// Reads a .psd1 data file as Import-PowerShellDataFile does (PowerShell's own parser, then the one
/// hashtable's constant value, so nothing in the file runs) and hands the engine plain data:
/// dictionaries (case-insensitive keys), lists and values. Problems are MappingInvalid naming the file
/// and line, or PathNotFound.
/// </summary>
internal static class PowerShellDataFile
{
    public static IReadOnlyDictionary<string, object?> Read(string path)
    {
        if (!File.Exists(path))
            throw new SyncException(SyncErrorKind.PathNotFound, $"The mapping file '{path}' does not exist.", target: path);
        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
            throw new SyncException(SyncErrorKind.MappingInvalid,
                $"The mapping file '{path}' is not valid PowerShell data: {string.Join("; ", errors.Take(3).Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}", target: path);
        if (ast.Find(a => a is HashtableAst, false) is not HashtableAst table)
            throw new SyncException(SyncErrorKind.MappingInvalid, $"The mapping file '{path}' holds no hashtable (@{{ ... }}).", target: path);
        object? value;
        try { value = table.SafeGetValue(); }
        catch (InvalidOperationException ex)
        {
            throw new SyncException(SyncErrorKind.MappingInvalid, $"The mapping file '{path}' may hold only constants (no variables, commands or expressions): {ex.Message}", ex, path);
        }
        return (IReadOnlyDictionary<string, object?>)Plain(value)!;
    }

    private static object? Plain(object? value) => value switch
    {
        PSObject p => Plain(p.BaseObject),
        IDictionary d => d.Cast<DictionaryEntry>().ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!, e => Plain(e.Value), StringComparer.OrdinalIgnoreCase),
        string s => s,
        IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
        _ => value,
    };
}
