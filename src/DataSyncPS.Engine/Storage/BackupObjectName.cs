using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Storage;

/// <summary>
/// Object names as the replaced backup service laid them out, so existing buckets keep one layout:
/// <c>prefix/YYYYMMDD/&lt;server&gt;_&lt;database&gt;_&lt;engine&gt;_&lt;yyyyMMddTHHmmssZ&gt;.&lt;ext&gt;</c>, in UTC.
/// The same server, database and engine always give the same stem, which is how retention finds a
/// database's older backups (parsing the stem back is never needed: it is compared whole).
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

    /// <summary><c>server_database_engine_</c>, each part reduced to characters safe in any store and file
    /// system. Underscores stay (database names are full of them): the stem is only ever compared whole.</summary>
    public static string Stem(string server, string database, ProviderKind engine) =>
        $"{Safe(server)}_{Safe(database)}_{engine.ToString().ToLowerInvariant()}_";

    /// <summary>When a key is a backup of this stem under the prefix: its time; otherwise null.</summary>
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
        return DateTimeOffset.TryParseExact(stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
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
