using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// Object names as the replaced backup service laid them out, so existing buckets keep one layout:
/// <c>prefix/YYYYMMDD/&lt;server&gt;_&lt;database&gt;_&lt;engine&gt;_&lt;yyyyMMddTHHmmssZ&gt;.&lt;ext&gt;</c>, in UTC.
/// The same server, database and engine always give the same stem, which is how retention finds a
/// database's older backups (parsing the stem back is never needed: it is compared whole). A second
/// backup within the same second is numbered, <c>..._20260301T043005Z-2.dump</c>, since a backup never
/// replaces another.
/// </summary>
public static partial class BackupObjectName
{
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string Key(string prefix, string server, string database, ProviderKind engine, DateTimeOffset takenAt, string extension)
    {
        var utc = takenAt.ToUniversalTime();
        var folder = utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var name = Stem(server, database, engine) + utc.ToString(StampFormat, CultureInfo.InvariantCulture) + extension;
        return (prefix.Length == 0 ? "" : prefix.Trim('/') + "/") + folder + "/" + name;
    }

    /// <summary>The <paramref name="n"/>th name for a key (the first is the key itself): <c>-n</c> after its time.</summary>
    public static string Numbered(string key, int n, string extension)
    {
        if (n <= 1) return key;
        if (!key.EndsWith(extension, StringComparison.Ordinal)) throw new ArgumentException($"'{key}' does not end with '{extension}'.", nameof(key));
        return key[..^extension.Length] + "-" + n.ToString(CultureInfo.InvariantCulture) + extension;
    }

    /// <summary><c>server_database_engine_</c>, each part reduced to characters safe in any store and file
    /// system. Underscores stay (database names are full of them): the stem is only ever compared whole.</summary>
    public static string Stem(string server, string database, ProviderKind engine) =>
        $"{Safe(server)}_{Safe(database)}_{engine.ToString().ToLowerInvariant()}_";

    /// <summary>When a key is a backup of this stem under the prefix: its time (a numbered one's too); otherwise null.</summary>
    public static DateTimeOffset? TakenAt(string key, string prefix, string stem, string extension)
    {
        var start = prefix.Length == 0 ? "" : prefix.Trim('/') + "/";
        if (!key.StartsWith(start, StringComparison.Ordinal) || !key.EndsWith(extension, StringComparison.Ordinal)) return null;
        var rest = key[start.Length..];
        var slash = rest.IndexOf('/');
        if (slash != 8 || !rest[..8].All(char.IsAsciiDigit)) return null;
        var name = rest[9..];
        if (!name.StartsWith(stem, StringComparison.Ordinal)) return null;
        var stamp = name[stem.Length..^extension.Length];
        var dash = stamp.IndexOf('-');
        if (dash >= 0)
        {
            if (!int.TryParse(stamp[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 2) return null;
            stamp = stamp[..dash];
        }
        return DateTimeOffset.TryParseExact(stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    /// <summary>Which of a second's backups a key is: 1 for the plain name, n for <c>-n</c>.</summary>
    public static int Number(string key, string extension)
    {
        var name = key.EndsWith(extension, StringComparison.Ordinal) ? key[..^extension.Length] : key;
        var dash = name.LastIndexOf('-');
        return dash > 0 && name[dash - 1] == 'Z' && int.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 2 ? n : 1;
    }

    private static string Safe(string part)
    {
        var s = Unsafe().Replace(part.Normalize(NormalizationForm.FormC), "-");
        return s.Length == 0 ? "-" : s;
    }

    // Every character outside [A-Za-z0-9._-] becomes '-'.
    [GeneratedRegex(@"[^A-Za-z0-9._\-]")]
    private static partial Regex Unsafe();
}
