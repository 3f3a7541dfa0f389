using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Schema;

/// <summary>PowerShell-style wildcards (*, ?, [abc]) without PowerShell types, case-insensitive as
/// PowerShell's -like is.</summary>
public static class Wildcard
{
    public static bool IsMatch(string pattern, string text)
    {
        var sb = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '`' when i + 1 < pattern.Length: sb.Append(Regex.Escape(pattern[++i].ToString())); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append(@"\["); break; }
                    sb.Append('[').Append(pattern[(i + 1)..close].Replace(@"\", @"\\")).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(ch.ToString())); break;
            }
        }
        return Regex.IsMatch(text, sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
