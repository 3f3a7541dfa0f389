namespace DataSyncPS.Engine.Backup;

/// <summary>The BACKUP DATABASE statement the old service ran through sqlcmd, generated here with
/// identifiers and the path quoted, so a database or path with ']' or a quote cannot break out.</summary>
public static class SqlServerBackupSql
{
    /// <param name="database">The database name as the server knows it.</param>
    /// <param name="fileOnServer">The .bak path as the SQL Server service sees it (its disk or a share).</param>
    /// <param name="compression">WITH COMPRESSION (Express and Web editions have none).</param>
    public static string Build(string database, string fileOnServer, bool compression = true)
    {
        if (string.IsNullOrEmpty(database)) throw new SyncException(SyncErrorKind.InvalidArgument, "No database to back up.");
        if (fileOnServer.Contains('\0') || database.Contains('\0'))
            throw new SyncException(SyncErrorKind.IdentifierInvalid, "A database name or path with a NUL character cannot be backed up.");
        var with = new List<string> { "COPY_ONLY", "FORMAT", "INIT", "CHECKSUM" };
        if (compression) with.Insert(0, "COMPRESSION");
        return $"BACKUP DATABASE [{database.Replace("]", "]]")}] TO DISK = N'{fileOnServer.Replace("'", "''")}' WITH {string.Join(", ", with)}, STATS = 10;";
    }
}
