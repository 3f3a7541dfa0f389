using System.Data.Common;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Schema;

/// <summary>A source connection in a read-only snapshot transaction: the run's own (on PostgreSQL exported
/// for the others), or another reading what the run reads — on PostgreSQL the run's exported snapshot; on
/// MySQL/MariaDB, which cannot share one, a consistent snapshot of its own taken now. Disposing it ends
/// the transaction first (SQL Server: a snapshot transaction where the database allows one): a pooled connection must not keep a production table's snapshot and locks open
/// (MySqlConnector resets a pooled connection only when it is used again).</summary>
internal sealed class SnapshotReader : IAsyncDisposable
{
    private readonly bool _inTransaction;

    private SnapshotReader(DbConnection connection, bool inTransaction)
    {
        Connection = connection;
        _inTransaction = inTransaction;
    }

    public DbConnection Connection { get; }

    /// <summary>Whether the reads are one snapshot. Only a SQL Server database that does not allow snapshot
    /// isolation (ALLOW_SNAPSHOT_ISOLATION, off by default) reads without one: read committed, statement by statement.</summary>
    public bool Consistent => _inTransaction;

    /// <summary>SQL Server: a snapshot transaction where the database allows one; returns 1 when it began.</summary>
    internal const string SqlServerBegin =
        "IF EXISTS (SELECT 1 FROM sys.databases WHERE database_id = DB_ID() AND snapshot_isolation_state = 1) " +
        "BEGIN SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION; END; SELECT @@TRANCOUNT";

    /// <param name="snapshot">A PostgreSQL snapshot to import (pg_export_snapshot); null starts one.</param>
    public static async Task<SnapshotReader> OpenAsync(SyncSource source, string? snapshot, CancellationToken ct)
    {
        var c = await SourceConnector.OpenAsync(source, ct).ConfigureAwait(false);
        try
        {
            if (source.Provider == ProviderKind.SqlServer)
            {
                await using var begin = c.CreateCommand();
                begin.CommandText = SqlServerBegin;
                return new SnapshotReader(c, inTransaction: Convert.ToInt32(await begin.ExecuteScalarAsync(ct).ConfigureAwait(false)) > 0);
            }
            await using var cmd = c.CreateCommand();
            // SET TRANSACTION SNAPSHOT must be the transaction's first statement, and the exporting transaction still open.
            cmd.CommandText = source.Provider != ProviderKind.PostgreSql ? "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"
                : snapshot is null ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                : $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snapshot.Replace("'", "''")}'";
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return new SnapshotReader(c, inTransaction: true);
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_inTransaction)
            {
                await using var cmd = Connection.CreateCommand();
                cmd.CommandText = "ROLLBACK";
                await cmd.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            // A broken connection (or one a stop left mid-statement) has no transaction left to end, and is
            // not returned to the pool either; the failure that got us here is the one to report.
        }
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
