using System.Data.Common;
using static DataSyncPS.Engine.Schema.CatalogReading;

namespace DataSyncPS.Engine.Schema;

/// <summary>Which database a connection really reaches, asked of the server itself, so that 127.0.0.1 and
/// localhost (or two spellings of a connection string) are seen to be the same database.</summary>
public static class DatabaseIdentity
{
    public static async Task<string> ReadAsync(ProviderKind provider, DbConnection c, CancellationToken ct)
    {
        if (provider is ProviderKind.MySql or ProviderKind.MariaDb)
        {
            var r = (await RowsAsync(c, "SELECT @@hostname, @@port, @@datadir, DATABASE()", ct).ConfigureAwait(false))[0];
            return $"mysql://{Text(r[0])}:{Text(r[1])}{Text(r[2])}#{Text(r[3])}";
        }
        if (provider == ProviderKind.SqlServer)
        {
            // Machine and instance as the server names itself; database names ignore case there.
            var r = (await RowsAsync(c, "SELECT CAST(SERVERPROPERTY('ServerName') AS nvarchar(256)), DB_NAME()", ct).ConfigureAwait(false))[0];
            return $"sqlserver://{Text(r[0])?.ToUpperInvariant()}#{Text(r[1])?.ToUpperInvariant()}";
        }
        string server;
        try
        {
            // The cluster's own identifier; reading it needs a privilege not every login has.
            server = Text((await RowsAsync(c, "SELECT system_identifier::text FROM pg_control_system()", ct).ConfigureAwait(false))[0][0])!;
        }
        catch (DbException)
        {
            var r = (await RowsAsync(c, "SELECT coalesce(inet_server_addr()::text, 'local'), current_setting('port'), current_setting('cluster_name')", ct).ConfigureAwait(false))[0];
            server = $"{Text(r[0])}:{Text(r[1])}:{Text(r[2])}";
        }
        var db = Text((await RowsAsync(c, "SELECT current_database()", ct).ConfigureAwait(false))[0][0]);
        return $"postgresql://{server}#{db}";
    }
}
