using System.Buffers;

namespace DataSyncPS.Engine.Backup;

/// <summary>One engine's dump and restore tools: how to find them, check them against the server, and
/// start them with the login kept off their command lines.</summary>
internal abstract class EngineTools(string? toolPath)
{
    protected string? ToolPath { get; } = toolPath;

    public static EngineTools For(ProviderKind engine, string? toolPath) => engine switch
    {
        ProviderKind.PostgreSql => new PostgreSqlTools(toolPath),
        ProviderKind.MySql or ProviderKind.MariaDb => new MySqlTools(engine, toolPath),
        _ => throw new SyncException(SyncErrorKind.InvalidArgument, $"Invoke-DbBackup dumps PostgreSQL, MySQL and MariaDB databases with their tools; SQL Server goes through BACKUP DATABASE; {engine} is not supported."),
    };

    /// <summary>The stored backups' file extension per engine.</summary>
    public static string ExtensionOf(ProviderKind engine) => engine switch
    {
        ProviderKind.PostgreSql => ".dump",
        ProviderKind.SqlServer => ".bak",
        _ => ".sql.gz",
    };

    /// <summary>File extension of the stored backup (".dump", ".sql.gz").</summary>
    public abstract string Extension { get; }

    /// <summary>What the backup is, for its metadata ("pg_dump-custom", "mysqldump-gzip").</summary>
    public abstract string BackupType { get; }

    /// <summary>The tool's output is gzipped in-process on its way to storage.</summary>
    public abstract bool Compresses { get; }

    /// <summary>Finds the dump tool and checks it can dump this server: its version line, or an error naming the package.</summary>
    public abstract Task<string> CheckDumpToolAsync(string? serverVersion, CancellationToken cancellationToken);

    public abstract ToolRun StartDump(DatabaseLogin login, BackupOptions options);

    /// <summary>Copies the dump tool's output into the backup's sink, as it comes (synchronously: from a
    /// thread of its own). False when the output ended where it could not (a killed tool: its exit
    /// status says why; a tool that says it succeeded makes it an error of its own).</summary>
    public virtual bool CopyDump(Stream toolOutput, Stream sink)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = toolOutput.Read(buffer, 0, buffer.Length)) > 0) sink.Write(buffer, 0, n);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Finds the restore tool: its version line.</summary>
    public abstract Task<string> CheckRestoreToolAsync(CancellationToken cancellationToken);

    /// <summary>A restore reading the (decompressed) dump on stdin.</summary>
    public abstract ToolRun StartRestore(DatabaseLogin login);

    /// <summary>A structural check reading the stored dump on stdin (pg_restore --list); null when the
    /// check is done in-process instead (the completion line of mysqldump).</summary>
    public abstract ToolRun? StartStructureCheck();

    /// <summary>The SQL that lists user databases, for -Database *.</summary>
    public abstract string UserDatabasesSql { get; }

    /// <summary>The SQL that reads the server's version.</summary>
    public abstract string ServerVersionSql { get; }

    /// <summary>The SQL that reads the current database's size on disk, cheaply (the catalogue's figures,
    /// no table scanned): what the dump's multipart parts are sized for.</summary>
    public abstract string DatabaseSizeSql { get; }

    public abstract string CreateDatabaseSql(string database);

    /// <summary>The SQL that lists base tables (schema, name) of the current database, and how to count one.</summary>
    public abstract string TablesSql { get; }
}
