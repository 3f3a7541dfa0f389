using System.Text;

namespace DataSyncPS.Engine.Backup;

/// <summary>
/// A MySQL/MariaDB option file holding the login, for <c>--defaults-extra-file</c>: created readable
/// and writable by the owner only (0600, in a folder of its own that only the owner can enter) before
/// anything is written into it, and deleted when disposed. The password never reaches a command line.
/// </summary>
internal sealed class OptionFile : IDisposable
{
    private readonly string _folder;

    public OptionFile(DatabaseLogin login)
    {
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "datasyncps-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_folder);
        else Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Path = System.IO.Path.Combine(_folder, "login.cnf");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new StreamWriter(new FileStream(Path, options), new UTF8Encoding(false));
        file.Write(Text(login));
    }

    public string Path { get; }

    /// <summary>The [client] group (read by mysqldump, mariadb-dump, mysql and mariadb alike).</summary>
    internal static string Text(DatabaseLogin login)
    {
        var sb = new StringBuilder("[client]\n");
        sb.Append("host=").Append(Quote(login.Host)).Append('\n');
        sb.Append("port=").Append(login.Port).Append('\n');
        sb.Append("protocol=TCP\n");
        if (login.User is not null) sb.Append("user=").Append(Quote(login.User)).Append('\n');
        if (login.Password is not null) sb.Append("password=").Append(Quote(login.Password)).Append('\n');
        // No ssl-mode: MariaDB's clients refuse MySQL's option of that name (and MySQL's theirs).
        return sb.ToString();
    }

    /// <summary>A value in double quotes with the escapes option files know (\\ and \"), so '#', ';',
    /// quotes and spaces in a password survive.</summary>
    private static string Quote(string value)
    {
        if (value.Contains('\n') || value.Contains('\r'))
            throw new SyncException(SyncErrorKind.InvalidArgument, "A MySQL/MariaDB login with a line break cannot go in an option file.");
        return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    public void Dispose()
    {
        try { File.Delete(Path); } catch (IOException) { }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
