using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using DataSyncPS.Engine.Backup;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Storage;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Backup;

/// <summary>
/// pg_dump's uncompressed custom archive compressed here on every core reads in pg_restore exactly as
/// the archive pg_dump compresses itself: the same SQL, table data, empty tables, binary columns and
/// large objects included; anything that is not the archive layout it knows is refused, not stored.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PgArchiveRecompressorTests
{
    [Fact]
    public async Task The_recompressed_archive_restores_to_the_same_SQL_as_pg_dump_s_own()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 30_000);
        await db.ExecuteAsync("""
            CREATE TABLE vazia (id int PRIMARY KEY);
            CREATE TABLE arquivos (id int PRIMARY KEY, conteudo bytea);
            INSERT INTO arquivos SELECT i, decode(repeat(md5(i::text), i % 50), 'hex') FROM generate_series(1, 300) i;
            SELECT lo_from_bytea(0, decode(repeat('00ff', 40000), 'hex'));
            SELECT lo_from_bytea(0, ''::bytea);
            """);
        var dir = Directory.CreateTempSubdirectory("datasync-pgarchive-").FullName;
        try
        {
            var own = Path.Combine(dir, "own.dump");
            var ours = Path.Combine(dir, "ours.dump");
            var plain = Path.Combine(dir, "plain.dump");
            await PgDumpAsync(db, own);
            await PgDumpAsync(db, plain, "--compress=0");
            using (var input = File.OpenRead(plain))
            using (var output = File.Create(ours))
                PgArchiveRecompressor.Copy(input, output, CompressionLevel.Optimal);

            Assert.Equal(Script(await PgRestoreAsync("-f", "-", own)), Script(await PgRestoreAsync("-f", "-", ours)));
            Assert.Contains("Compression: -1", await PgRestoreAsync("--list", ours));
            Assert.True(new FileInfo(ours).Length < new FileInfo(plain).Length / 2, $"{new FileInfo(ours).Length} bytes against {new FileInfo(plain).Length} uncompressed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_pg_dump_that_succeeds_with_a_cut_archive_fails_the_backup_and_stores_nothing()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 2_000);
        using var dir = new TempDirectory();
        var whole = dir.Combine("whole.dump");
        await PgDumpAsync(db, whole, "--compress=0");
        File.WriteAllBytes(dir.Combine("cut.dump"), File.ReadAllBytes(whole)[..(int)(new FileInfo(whole).Length * 2 / 3)]);
        var fake = FakePgDump(dir, "15.4", $"cat '{dir.Combine("cut.dump")}'");
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Combine("out")));

        var e = await Assert.ThrowsAsync<SyncException>(() => DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { ToolPath = fake }, new BackupProgress(), CancellationToken.None));

        Assert.Equal(SyncErrorKind.BackupFailed, e.Kind);
        Assert.Contains("ended inside the archive", e.Message);
        Assert.Empty(Directory.Exists(dir.Combine("out")) ? Directory.GetFiles(dir.Combine("out"), "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Pg_dump_16_and_later_compress_their_archive_themselves()
    {
        await using var db = await BackupDatabase.CreateAsync(ProviderKind.PostgreSql, bigRows: 10);
        using var dir = new TempDirectory();
        // A pg_dump 16 stand-in that records its arguments and writes an archive pg_dump 15 made.
        var archive = dir.Combine("real.dump");
        await PgDumpAsync(db, archive);
        var fake = FakePgDump(dir, "16.2", $"echo \"$@\" > '{dir.Combine("args")}'; cat '{archive}'");
        using var storage = new FolderStorage(BackupDestination.Parse(dir.Combine("out")));

        var result = await DatabaseBackup.RunAsync(db.Source, storage, new BackupOptions { ToolPath = fake }, new BackupProgress(), CancellationToken.None);

        Assert.DoesNotContain("--compress", File.ReadAllText(dir.Combine("args")));
        Assert.Equal(File.ReadAllBytes(archive), File.ReadAllBytes(result.Destination));
    }

    [Fact]
    public void Output_that_is_not_a_custom_archive_is_refused()
    {
        var error = Assert.Throws<SyncException>(() => Recompress("-- PostgreSQL database dump\nSET statement_timeout = 0;\n"u8.ToArray()));
        Assert.Equal(SyncErrorKind.BackupFailed, error.Kind);
        Assert.Contains("no PGDMP header", error.Message);
    }

    [Fact]
    public void An_archive_of_another_version_is_refused_naming_it()
    {
        byte[] head = [.. "PGDMP"u8, 1, 16, 0, 4, 8, 1, 0, 0, 0, 0, 0];
        var error = Assert.Throws<SyncException>(() => Recompress(head));
        Assert.Contains("archive version 1.16", error.Message);
        Assert.Contains("pg_dump of version 12 to 15", error.Message);
    }

    [Fact]
    public void An_archive_cut_short_is_an_error_not_a_shorter_archive()
    {
        byte[] head = [.. "PGDMP"u8, 1, 14, 0, 4, 8, 1, 0, 0, 0];
        Assert.Throws<EndOfStreamException>(() => Recompress(head));
    }

    [Fact]
    public void Adler32_is_zlib_s()
    {
        var adler = new Adler32();
        adler.Append("Wikipedia"u8);
        Assert.Equal(0x11E60398u, adler.Value);
        var big = new Adler32();
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        big.Append(data.AsSpan(0, 33_333));
        big.Append(data.AsSpan(33_333));
        using var zlibbed = new MemoryStream();
        using (var z = new ZLibStream(zlibbed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        var trailer = zlibbed.ToArray()[^4..];
        Assert.Equal((uint)(trailer[0] << 24 | trailer[1] << 16 | trailer[2] << 8 | trailer[3]), big.Value);
    }

    [Fact]
    public void A_zlib_stream_compressed_in_blocks_reads_back_with_any_zlib_reader()
    {
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i}\tcliente {i}\t{i * 1.5}\n")));
        using var workers = new DeflateWorkers(2);
        foreach (var input in new[] { data, [] })
        {
            using var output = new MemoryStream();
            using (var z = new ParallelDeflateStream(output, CompressionLevel.Optimal, DeflateContainer.Zlib(), workers))
            {
                z.Write(input);
                z.Finish();
            }
            using var back = new ZLibStream(new MemoryStream(output.ToArray()), CompressionMode.Decompress);
            using var read = new MemoryStream();
            back.CopyTo(read);
            Assert.Equal(input, read.ToArray());
        }
    }

    /// <summary>A pg_dump of the given version that runs <paramref name="dump"/> (a shell line) to dump.</summary>
    private static string FakePgDump(TempDirectory dir, string version, string dump)
    {
        var fake = dir.Combine("pg_dump");
        File.WriteAllText(fake, $"#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) {version}'; exit 0; fi\n{dump}\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return fake;
    }

    /// <summary>pg_restore's SQL less its \restrict lines, whose key is new on every run.</summary>
    private static string Script(string sql) =>
        string.Join("\n", sql.Split('\n').Where(l => !l.StartsWith("\\restrict ", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict ", StringComparison.Ordinal)));

    private static void Recompress(byte[] input)
    {
        using var output = new MemoryStream();
        PgArchiveRecompressor.Copy(new MemoryStream(input), output, CompressionLevel.Optimal);
    }

    private static async Task PgDumpAsync(BackupDatabase db, string file, params string[] extra)
    {
        var login = DatabaseLogin.From(db.Source);
        var start = new ProcessStartInfo("pg_dump") { RedirectStandardError = true };
        foreach (var a in (string[])["--format=custom", "--no-password", "--file=" + file, .. extra]) start.ArgumentList.Add(a);
        start.Environment["PGHOST"] = login.Host;
        start.Environment["PGPORT"] = login.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = login.User;
        start.Environment["PGPASSWORD"] = login.Password;
        start.Environment["PGDATABASE"] = login.Database;
        using var p = Process.Start(start)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
    }

    private static async Task<string> PgRestoreAsync(params string[] args)
    {
        var start = new ProcessStartInfo("pg_restore") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
        return await output;
    }
}
