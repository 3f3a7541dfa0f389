using System.Globalization;
using System.IO.Compression;
using System.Text;
using DataSyncPS.Engine.Storage;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// Reads a stored backup back and proves what <see cref="BackupOptions.Verify"/> asks, in one pass:
/// its size and SHA-256 against what was sent (Checksum); that it reads whole (Structure:
/// pg_restore --list for custom format, gzip intact and mysqldump's completion line at the end); and
/// a full restore into a sandbox database whose row counts are read (Restore). Any failure is
/// <see cref="SyncErrorKind.BackupVerificationFailed"/>, never a warning.
/// </summary>
public static class BackupVerifier
{
    public static async Task VerifyAsync(IBackupStorage storage, DbBackupResult backup, BackupOptions options, BackupProgress progress, CancellationToken ct)
    {
        var uri = backup.Destination;
        var stored = await storage.DescribeAsync(backup.Key, ct).ConfigureAwait(false)
            ?? throw Failed($"{uri} is not in the store after its upload.", uri);
        if (stored.Size != backup.Bytes)
            throw Failed($"{uri} holds {stored.Size:N0} bytes; {backup.Bytes:N0} were sent.", uri);
        if (stored.Metadata.TryGetValue("sha256", out var recorded) && recorded != backup.Sha256)
            throw Failed($"{uri}'s recorded SHA-256 {recorded} is not the {backup.Sha256} that was sent.", uri);

        var structure = options.Verify >= BackupVerification.Structure;
        var tools = EngineTools.For(backup.Engine == ProviderKind.SqlServer ? ProviderKind.PostgreSql : backup.Engine, options.ToolPath);
        structure &= backup.Engine != ProviderKind.SqlServer; // a .bak is checked by the server (CHECKSUM), not here
        await using (var raw = await storage.OpenReadAsync(backup.Key, ct).ConfigureAwait(false))
        using (var read = new HashingReader(raw, null))
        {
            if (!structure)
            {
                await read.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            }
            else if (tools.StartStructureCheck() is { } check)
            {
                using (check)
                {
                    try
                    {
                        var entries = await ToolFeed.RunAsync(check.Process, read, null, $"listing {uri}", ct).ConfigureAwait(false);
                        if (entries == 0) throw Failed($"pg_restore --list found no entry in {uri}.", uri);
                    }
                    catch (SyncException e) when (e.Kind == SyncErrorKind.BackupFailed)
                    {
                        throw Failed($"{uri} does not read as a pg_dump archive: {e.Message}", uri, e);
                    }
                }
                await read.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            }
            else
            {
                await CheckDumpEndAsync(read, uri, ct).ConfigureAwait(false);
            }
            var sha = read.HashHex();
            if (read.BytesRead != backup.Bytes || sha != backup.Sha256)
                throw Failed($"{uri} read back as {read.BytesRead:N0} bytes with SHA-256 {sha}; {backup.Bytes:N0} bytes with {backup.Sha256} were sent.", uri);
        }
        backup.Verified = structure ? BackupVerification.Structure : BackupVerification.Checksum;

        if (options.Verify == BackupVerification.Restore)
        {
            var target = options.RestoreTarget
                ?? throw new SyncException(SyncErrorKind.InvalidArgument, "-Verify Restore needs -RestoreTarget: a source on the server (a sandbox) to restore into.");
            if (target.Provider != backup.Engine && !(IsMySqlFamily(target.Provider) && IsMySqlFamily(backup.Engine)))
                throw new SyncException(SyncErrorKind.InvalidArgument, $"-RestoreTarget is a {target.Provider} server; the backup is {backup.Engine}.");
            var sandbox = "datasyncps_verify_" + Sanitize(backup.Database) + "_" + backup.StartedAt.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            progress.Phase = "Restoring into " + sandbox;
            var restored = await DatabaseRestore.RunAsync(storage, backup.Key, DatabaseBackup.ForDatabase(target, sandbox),
                new RestoreOptions { CreateDatabase = true, ToolPath = options.ToolPath, DropAfterwards = true }, progress, ct).ConfigureAwait(false);
            // A MySQL sandbox is its own schema: name the tables as they are in the backed-up database.
            backup.RestoredRowCounts = IsMySqlFamily(backup.Engine)
                ? new SortedDictionary<string, long>(restored.RowCounts.ToDictionary(
                    c => c.Key.StartsWith(sandbox + ".", StringComparison.Ordinal) ? backup.Database + c.Key[sandbox.Length..] : c.Key, c => c.Value), StringComparer.Ordinal)
                : restored.RowCounts;
            backup.Verified = BackupVerification.Restore;
        }
    }

    private static bool IsMySqlFamily(ProviderKind k) => k is ProviderKind.MySql or ProviderKind.MariaDb;

    private static string Sanitize(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.ToLowerInvariant()) sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return sb.Length > 30 ? sb.ToString(0, 30) : sb.ToString();
    }

    /// <summary>Decompresses the whole dump (a broken gzip throws) and checks its last line.</summary>
    private static async Task CheckDumpEndAsync(Stream read, string uri, CancellationToken ct)
    {
        var tail = new byte[512];
        var tailLength = 0;
        try
        {
            await using var unzip = new GZipStream(read, CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await unzip.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                if (n >= tail.Length) { Array.Copy(buffer, n - tail.Length, tail, 0, tail.Length); tailLength = tail.Length; }
                else
                {
                    var keep = Math.Min(tailLength, tail.Length - n);
                    Array.Copy(tail, tailLength - keep, tail, 0, keep);
                    Array.Copy(buffer, 0, tail, keep, n);
                    tailLength = keep + n;
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw Failed($"{uri} is not an intact gzip file: {e.Message}", uri, e);
        }
        var end = Encoding.UTF8.GetString(tail, 0, tailLength);
        if (!end.Contains(MySqlTools.CompletionLine, StringComparison.Ordinal))
            throw Failed($"{uri} does not end with mysqldump's '{MySqlTools.CompletionLine}' line: the dump was cut short.", uri);
    }

    private static SyncException Failed(string message, string uri, Exception? inner = null) =>
        new(SyncErrorKind.BackupVerificationFailed, message, inner, uri);
}
