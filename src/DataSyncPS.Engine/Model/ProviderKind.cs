namespace DataSyncPS;

/// <summary>The kinds of source Connect-SyncSource can open.</summary>
public enum ProviderKind
{
    PostgreSql,
    MySql,
    MariaDb,
    SqlServer,
    Oracle,
    Sqlite,
    LaravelLog,
}
