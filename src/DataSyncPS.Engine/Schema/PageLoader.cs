using System.Data.Common;

namespace DataSyncPS.Engine.Schema;

/// <summary>The target end of a table copy: the connection pages of rows are bulk-loaded through, and
/// what to do when the target refuses a page as too large for one message.</summary>
internal abstract class PageLoader : IAsyncDisposable
{
    protected PageLoader(string table, IReadOnlyList<string> columns)
    {
        Table = table;
        Columns = columns;
    }

    /// <summary>The target table, quoted.</summary>
    protected string Table { get; }

    /// <summary>The columns loaded (generated ones are left to the target), as the catalog names them.</summary>
    protected IReadOnlyList<string> Columns { get; }

    public abstract DbConnection Connection { get; }

    /// <summary>Writes a key value into the page's SELECT as a literal, for a load statement that takes no
    /// parameters (PostgreSQL's COPY); null when the SELECT binds them.</summary>
    public virtual Func<object?, string>? Inline => null;

    /// <summary>Loads the rows <paramref name="select"/> returns on <paramref name="source"/> (its
    /// parameters numbered by the dialect); returns how many the target took. A page is loaded whole or
    /// not at all.</summary>
    public abstract Task<long> LoadAsync(DbConnection source, string select, IReadOnlyList<object?> args, CancellationToken ct);

    /// <summary>Whether <paramref name="exception"/> is the target refusing a page as larger than it
    /// takes in one message (MySQL's max_allowed_packet, PostgreSQL's size limits).</summary>
    public abstract bool IsTooLarge(Exception exception);

    /// <summary>After a refused page: a usable connection again (MySQL drops the one that sent too much).</summary>
    public abstract Task RecoverAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    /// <summary>Runs a statement on the target connection.</summary>
    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?> args, Sources.SqlDialect dialect, CancellationToken ct)
    {
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Count; i++) dialect.AddParameter(cmd, i, args[i]);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
