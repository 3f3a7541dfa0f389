using System.Data.Common;
using System.Text;
using DataSyncPS.Engine.Sources;
using MySqlConnector;

namespace DataSyncPS.Engine.Schema;

/// <summary>MySQL/MariaDB pages, on a connection of the loader's own with foreign-key checks off:
/// <c>MySqlBulkCopy</c> (LOAD DATA LOCAL INFILE) from the source's data reader, or, when the target's
/// connection string says <c>AllowLoadLocalInfile=false</c> (servers that refuse LOCAL INFILE), one
/// multi-row INSERT per page. A page the server refuses as larger than max_allowed_packet costs the
/// connection (the server drops it), so the loader opens a new one before the page is tried again.</summary>
internal sealed class MySqlPageLoader : PageLoader
{
    private readonly SyncSource _target;
    private readonly bool _inserts;
    private MySqlConnection _connection;

    private MySqlPageLoader(SyncSource target, bool inserts, MySqlConnection connection, string table, IReadOnlyList<string> columns) : base(table, columns)
    {
        _target = target;
        _inserts = inserts;
        _connection = connection;
    }

    public static async Task<MySqlPageLoader> OpenAsync(SyncSource target, string table, IReadOnlyList<string> columns, CancellationToken ct)
    {
        var inserts = RefusesLocalInfile(target);
        return new MySqlPageLoader(target, inserts, await ConnectAsync(target, inserts, ct).ConfigureAwait(false), table, columns);
    }

    /// <summary>Whether the target's connection string turns LOAD DATA LOCAL INFILE off: rows then go as INSERTs.</summary>
    public static bool RefusesLocalInfile(SyncSource target)
    {
        var b = new MySqlConnectionStringBuilder(target.ConnectionString ?? "");
        return b.ContainsKey("AllowLoadLocalInfile") && !b.AllowLoadLocalInfile;
    }

    public override DbConnection Connection => _connection;

    public override async Task<long> LoadAsync(DbConnection source, string select, IReadOnlyList<object?> args, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand();
        cmd.CommandText = select;
        var dialect = _target.Dialect!;
        for (var i = 0; i < args.Count; i++) dialect.AddParameter(cmd, i, args[i]);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return _inserts ? await InsertAsync(reader, ct).ConfigureAwait(false) : await BulkCopyAsync(reader, ct).ConfigureAwait(false);
    }

    private async Task<long> BulkCopyAsync(DbDataReader reader, CancellationToken ct)
    {
        var bulk = new MySqlBulkCopy(_connection) { DestinationTableName = Table, BulkCopyTimeout = 0 };
        // Names as they are: MySqlBulkCopy quotes them itself.
        for (var i = 0; i < Columns.Count; i++) bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, Columns[i]));
        var result = await bulk.WriteToServerAsync(reader, ct).ConfigureAwait(false);
        if (result.Warnings.Count > 0) throw ChangedValues(result.Warnings.Select(w => w.Message));
        return result.RowsInserted;
    }

    /// <summary>The page as one INSERT ... VALUES (?, ...), (?, ...): the statement is the batch the server
    /// takes or refuses as a whole.</summary>
    private async Task<long> InsertAsync(DbDataReader reader, CancellationToken ct)
    {
        await using var insert = _connection.CreateCommand();
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", Columns.Count)) + ")";
        var sql = new StringBuilder("INSERT INTO ").Append(Table).Append(" (")
            .AppendJoin(", ", Columns.Select(_target.Dialect!.QuoteIdentifier)).Append(") VALUES ");
        long rows = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (rows++ > 0) sql.Append(", ");
            sql.Append(row);
            for (var i = 0; i < Columns.Count; i++) insert.Parameters.Add(new MySqlParameter { Value = reader.GetValue(i) });
        }
        if (rows == 0) return 0;
        insert.CommandText = sql.ToString();
        var inserted = await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var check = _connection.CreateCommand();
        check.CommandText = "SHOW WARNINGS LIMIT 3";
        var warnings = new List<string>();
        await using (var w = await check.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await w.ReadAsync(ct).ConfigureAwait(false)) warnings.Add(w.GetString(2));
        if (warnings.Count > 0) throw ChangedValues(warnings);
        return inserted;
    }

    private SyncException ChangedValues(IEnumerable<string> warnings) =>
        new(SyncErrorKind.QueryFailed, $"Loading {Table} gave warnings (values changed on the way): {string.Join("; ", warnings.Take(3))}");

    // 1153 ER_NET_PACKET_TOO_LARGE; MySqlConnector's own "Error submitting ... packet; ensure 'max_allowed_packet'
    // is greater than ..." when the server hangs up mid-packet.
    public override bool IsTooLarge(Exception exception) => exception is MySqlException m
        && (m.ErrorCode == MySqlErrorCode.PacketTooLarge || m.Message.Contains("max_allowed_packet", StringComparison.Ordinal));

    public override async Task RecoverAsync(CancellationToken ct)
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _connection = await ConnectAsync(_target, _inserts, ct).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static async Task<MySqlConnection> ConnectAsync(SyncSource target, bool inserts, CancellationToken ct)
    {
        // MySqlBulkCopy sends rows as LOAD DATA LOCAL INFILE, which the driver allows only when told to.
        var builder = new MySqlConnectionStringBuilder(target.ConnectionString ?? "") { AllowLoadLocalInfile = !inserts };
        var c = new MySqlConnection(builder.ConnectionString);
        try
        {
            await c.OpenAsync(ct).ConfigureAwait(false);
            await using var cmd = c.CreateCommand();
            // Checks off for the load only, as mysqldump's output does: the rows are the source's, whose keys held.
            cmd.CommandText = (target.Dialect!.SessionSetupSql is { } setup ? setup + "; " : "") + "SET FOREIGN_KEY_CHECKS = 0";
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return c;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw SourceConnector.Translate(ex, target, null);
        }
    }
}
