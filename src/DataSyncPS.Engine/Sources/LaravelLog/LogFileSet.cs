using System.Globalization;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Sources.LaravelLog;

/// <summary>
/// The files one run reads, in order, each matched to where the last run left it.
/// <para>A folder source reads <c>laravel-YYYY-MM-DD.log</c> daily files in date order, then
/// <c>laravel.log</c>; a file source reads that file. Either way a file the stored position knows that
/// now sits under another name beside it (<c>laravel.log</c> renamed to <c>laravel-2024-01-01.log</c> or
/// <c>laravel.log.1</c>) is found by its identity and continues from its offset, while a file under a
/// known name with another identity, or shorter than the offset, is new and read from the start.</para>
/// A file is being written (its unterminated last entry waits) until a file after it in order has been
/// written to since, or a file source's own file was rotated away.
/// </summary>
public sealed partial class LogFileSet : IDisposable
{
    private const string FolderStem = "laravel";

    private LogFileSet(IReadOnlyList<LogFileToRead> files) => Files = files;

    public IReadOnlyList<LogFileToRead> Files { get; }

    [GeneratedRegex(@"-(?<date>\d{4}-\d{2}-\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DailySuffix();

    public static LogFileSet Open(string path, LogPosition known, Action<string> note)
    {
        string folder, primary, stem, extension;
        bool isFolder;
        if (Directory.Exists(path))
        {
            (folder, primary, stem, extension, isFolder) = (path, FolderStem + ".log", FolderStem, ".log", true);
        }
        else if (File.Exists(path) || (known.Files.Count > 0 && Directory.Exists(Path.GetDirectoryName(path))))
        {
            // A file source whose file is missing may have been rotated away: look for it by identity.
            (folder, primary, isFolder) = (Path.GetDirectoryName(path)!, Path.GetFileName(path), false);
            (stem, extension) = (Path.GetFileNameWithoutExtension(primary), Path.GetExtension(primary));
        }
        else
        {
            throw new SyncException(SyncErrorKind.PathNotFound, $"The Laravel log path '{path}' does not exist.", target: path);
        }

        var candidates = new List<Candidate>();
        try
        {
            foreach (var full in Directory.EnumerateFiles(folder, stem + "*"))
            {
                var name = Path.GetFileName(full);
                var date = DailyDate(name, stem, extension);
                var listed = name == primary || (isFolder && date is not null);
                if (!listed && known.Files.Count == 0) continue;
                if (TryOpen(full) is not { } stream) continue;
                var prefix = LogFileIdentity.ReadPrefix(stream);
                candidates.Add(new Candidate(name, full, stream, prefix, listed, date));
            }
            var starts = Claim(candidates, known, note);
            var ordered = candidates
                .Where(c => c.Listed || starts.ContainsKey(c))
                .OrderBy(c => c.Name == primary).ThenBy(c => c.SortDate).ThenBy(c => c.Name, StringComparer.Ordinal)
                .ToList();
            foreach (var c in candidates.Except(ordered)) c.Stream.Dispose();
            var rotatedAway = !isFolder && !candidates.Any(c => c.Name == primary);
            var files = new List<LogFileToRead>();
            for (var i = 0; i < ordered.Count; i++)
            {
                var c = ordered[i];
                if (c.Length == 0)
                {
                    c.Stream.Dispose(); // nothing to read yet (it still counts as a newer file for the ones before it)
                    continue;
                }
                var claimed = starts.TryGetValue(c, out var mark);
                files.Add(new LogFileToRead
                {
                    Name = c.Name,
                    FullPath = c.FullPath,
                    Stream = c.Stream,
                    Identity = LogFileIdentity.Of(c.Prefix),
                    Length = c.Length,
                    StartOffset = claimed ? mark!.Offset : 0,
                    StartLine = claimed ? mark!.Line : 1,
                    // Finished once a file after it in order was written to since (Laravel moved on to it),
                    // or when a file source's own file was rotated away. A stale laravel.log beside daily
                    // files does not finish today's daily file.
                    IsActive = !rotatedAway && !ordered.Skip(i + 1).Any(later => later.LastWriteUtc >= c.LastWriteUtc),
                });
            }
            return new LogFileSet(files);
        }
        catch
        {
            foreach (var c in candidates) c.Stream.Dispose();
            throw;
        }
    }

    /// <summary>Matches each known file to the file that is it now: under its own name first, then
    /// under another (a rename). A match must be at least as long as the offset read up to.</summary>
    private static Dictionary<Candidate, LogFileMark> Claim(List<Candidate> candidates, LogPosition known, Action<string> note)
    {
        var claims = new Dictionary<Candidate, LogFileMark>();
        var unclaimed = new List<LogFileMark>();
        foreach (var mark in known.Files)
        {
            var same = candidates.FirstOrDefault(c => c.Name == mark.Name && !claims.ContainsKey(c) && IsSameFile(c, mark));
            if (same is not null) claims[same] = mark;
            else unclaimed.Add(mark);
        }
        foreach (var mark in unclaimed)
        {
            var moved = candidates.FirstOrDefault(c => !claims.ContainsKey(c) && IsSameFile(c, mark));
            if (moved is not null)
            {
                claims[moved] = mark;
                note($"Log file '{mark.Name}' is now '{moved.Name}'; continuing it at byte {mark.Offset:N0}.");
            }
            else if (candidates.Any(c => c.Name == mark.Name))
                note($"Log file '{mark.Name}' was replaced or truncated (read up to byte {mark.Offset:N0} before); reading the new one from the start.");
            else
                note($"Log file '{mark.Name}' is gone; it is no longer followed.");
        }
        return claims;
    }

    private static bool IsSameFile(Candidate c, LogFileMark mark) =>
        c.Length >= mark.Offset && mark.Identity.Matches(c.Prefix);

    private static DateOnly? DailyDate(string name, string stem, string extension)
    {
        if (!name.EndsWith(extension, StringComparison.Ordinal)) return null;
        var bare = name[..^extension.Length];
        var m = DailySuffix().Match(bare);
        if (!m.Success || m.Index != stem.Length || !bare.StartsWith(stem, StringComparison.Ordinal)) return null;
        return DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // rotated away between listing and opening
        }
    }

    public void Dispose()
    {
        foreach (var f in Files) f.Dispose();
    }

    /// <summary>A file beside the source that may be read (compared by reference, as a dictionary key).</summary>
    private sealed class Candidate(string name, string fullPath, FileStream stream, byte[] prefix, bool listed, DateOnly? date)
    {
        public string Name { get; } = name;
        public string FullPath { get; } = fullPath;
        public FileStream Stream { get; } = stream;
        public byte[] Prefix { get; } = prefix;
        public long Length { get; } = stream.Length;
        /// <summary>Read whatever the position says: the source's own file, or a daily file of a folder source.</summary>
        public bool Listed { get; } = listed;
        public DateTime LastWriteUtc { get; } = File.GetLastWriteTimeUtc(stream.SafeFileHandle); // of the file opened, even if renamed since
        /// <summary>Daily files by the date in their name; a renamed file by the day it was last written.</summary>
        public DateOnly SortDate => date ?? DateOnly.FromDateTime(LastWriteUtc.ToLocalTime());
    }
}
