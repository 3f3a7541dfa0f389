using System.Data;
using System.Data.Common;

namespace DataSyncPS.Engine.Schema;

/// <summary>A SQL Server transaction begun in T-SQL. One begun with BeginTransaction would have to be set on
/// every command run in it (SqlClient refuses the others), and the copier's commands and catalog reads
/// know nothing of it. XACT_ABORT makes any error end it, rolled back.</summary>
internal sealed class SqlServerTransaction : DbTransaction
{
    private readonly DbConnection _connection;

    private SqlServerTransaction(DbConnection connection) => _connection = connection;

    public static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct)
    {
        await RunAsync(connection, "SET XACT_ABORT ON; BEGIN TRANSACTION", ct).ConfigureAwait(false);
        return new SqlServerTransaction(connection);
    }

    protected override DbConnection DbConnection => _connection;

    public override IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;

    public override Task CommitAsync(CancellationToken ct = default) => RunAsync(_connection, "COMMIT TRANSACTION", ct);

    // An error under XACT_ABORT has rolled it back already.
    public override Task RollbackAsync(CancellationToken ct = default) => RunAsync(_connection, "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION", ct);

    public override void Commit() => CommitAsync().GetAwaiter().GetResult();

    public override void Rollback() => RollbackAsync().GetAwaiter().GetResult();

    private static async Task RunAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
