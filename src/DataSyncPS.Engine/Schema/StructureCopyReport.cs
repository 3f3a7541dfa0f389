using System.Globalization;
using System.Net;
using System.Text;

namespace DataSyncPS.Engine.Schema;

/// <summary>Copy-DbStructure's report for the admin's records: the plan, counts, timings and each data
/// table's validation, in Markdown (.md) or HTML (.html, .htm) by the file's extension.</summary>
public static class StructureCopyReport
{
    public static void Write(string path, StructureCopyResult result, DateTimeOffset finishedAt)
    {
        var html = Path.GetExtension(path).ToLowerInvariant() is ".html" or ".htm";
        var sections = Sections(result, finishedAt);
        File.WriteAllText(path, html ? Html(sections) : Markdown(sections), new UTF8Encoding(false));
    }

    private sealed record Section(string Title, string[] Headers, List<string[]> Rows);

    private static List<Section> Sections(StructureCopyResult r, DateTimeOffset at)
    {
        var n = CultureInfo.InvariantCulture;
        return
        [
            new("Copy-DbStructure", ["", ""],
            [
                ["Source", r.Source], ["Target", r.Target], ["Finished", at.ToString("yyyy-MM-dd HH:mm:ss zzz", n)],
                ["Duration", r.Duration.ToString(@"hh\:mm\:ss\.f", n)], ["Validated", r.Validated ? "yes" : "NO"],
                ["Tables created / altered / dropped", $"{r.TablesCreated} / {r.TablesAltered} / {r.TablesDropped}"],
                ["Rows copied", r.RowsCopied.ToString("N0", n)], ["Safety backup", r.BackupUsed ?? "none"],
            ]),
            new("Plan", ["Step", "Action", "Object", "What"],
                r.Plan.Select(s => new[] { s.Step.ToString(n), s.Action.ToString(), $"{s.ObjectKind} {s.Name}",
                    s.Action == CopyAction.Execute ? s.Sql : s.Note ?? "" }).ToList()),
            new("Data tables", ["Table", "Rows copied", "Seconds", "Rows/s", "Source rows", "Target rows", "Checksums match", "Key ranges (done before)"],
                r.Tables.Select(t => new[] { t.Table, t.RowsCopied.ToString("N0", n), t.Duration.TotalSeconds.ToString("N1", n),
                    t.RowsPerSecond.ToString("N0", n), t.SourceRows.ToString("N0", n), t.TargetRows.ToString("N0", n), t.Matches ? "yes" : "NO",
                    t.RangesResumed > 0 ? $"{t.Ranges} ({t.RangesResumed})" : t.Ranges.ToString(n) }).ToList()),
            new("Differences left (skipped)", ["Change", "Kind", "Name"],
                r.RemainingDifferences.Select(d => new[] { d.Change.ToString(), d.ObjectKind.ToString(), d.Name }).ToList()),
        ];
    }

    private static string Markdown(List<Section> sections)
    {
        var sb = new StringBuilder();
        foreach (var s in sections)
        {
            sb.Append("## ").Append(s.Title).Append("\n\n");
            if (s.Rows.Count == 0) { sb.Append("None.\n\n"); continue; }
            sb.Append("| ").Append(string.Join(" | ", s.Headers)).Append(" |\n|").Append(string.Concat(s.Headers.Select(_ => "---|"))).Append('\n');
            foreach (var row in s.Rows) sb.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
            sb.Append('\n');
        }
        return sb.ToString();

        // A cell is one line; a pipe would end it.
        static string Cell(string v) => v.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
    }

    private static string Html(List<Section> sections)
    {
        var sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Copy-DbStructure</title></head><body>\n");
        foreach (var s in sections)
        {
            sb.Append("<h2>").Append(WebUtility.HtmlEncode(s.Title)).Append("</h2>\n");
            if (s.Rows.Count == 0) { sb.Append("<p>None.</p>\n"); continue; }
            sb.Append("<table border=\"1\"><tr>").Append(string.Concat(s.Headers.Select(h => "<th>" + WebUtility.HtmlEncode(h) + "</th>"))).Append("</tr>\n");
            foreach (var row in s.Rows)
                sb.Append("<tr>").Append(string.Concat(row.Select(c => "<td><pre>" + WebUtility.HtmlEncode(c) + "</pre></td>"))).Append("</tr>\n");
            sb.Append("</table>\n");
        }
        return sb.Append("</body></html>\n").ToString();
    }
}
