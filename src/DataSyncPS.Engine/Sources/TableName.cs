namespace DataSyncPS.Engine.Sources;

/// <summary>A possibly schema-qualified table name, parsed from what the admin typed.</summary>
public sealed record TableName(string? Schema, string Name)
{
    /// <summary>Parses <c>table</c>, <c>schema.table</c>, and quoted parts such as
    /// <c>"my schema"."odd.table"</c> or <c>[dbo].[t]</c> or <c>`db`.`t`</c>.</summary>
    public static TableName Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SyncException(SyncErrorKind.IdentifierInvalid, "The table name is empty.");
        var parts = new List<string>();
        var i = 0;
        var s = text.Trim();
        while (i < s.Length)
        {
            string part;
            var open = s[i];
            char close = open switch { '"' => '"', '[' => ']', '`' => '`', _ => '\0' };
            if (close != '\0')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length)
                        throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The table name '{text}' has an unclosed quote.", target: text);
                    if (s[i] == close)
                    {
                        if (i + 1 < s.Length && s[i + 1] == close) { sb.Append(close); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(s[i++]);
                }
                part = sb.ToString();
            }
            else
            {
                var end = s.IndexOf('.', i);
                if (end < 0) end = s.Length;
                part = s[i..end].Trim();
                i = end;
            }
            if (part.Length == 0)
                throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The table name '{text}' has an empty part.", target: text);
            parts.Add(part);
            if (i < s.Length)
            {
                if (s[i] != '.')
                    throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The table name '{text}' is not of the form table or schema.table.", target: text);
                i++;
                if (i >= s.Length)
                    throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The table name '{text}' ends with a dot.", target: text);
            }
        }
        return parts.Count switch
        {
            1 => new TableName(null, parts[0]),
            2 => new TableName(parts[0], parts[1]),
            _ => throw new SyncException(SyncErrorKind.IdentifierInvalid, $"The table name '{text}' has {parts.Count} parts; use table or schema.table.", target: text),
        };
    }

    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
}
