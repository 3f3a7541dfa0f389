using System.Net.Sockets;
using DataSyncPS.Engine.Sources;
using Microsoft.Data.Sqlite;
using Npgsql;
using static DataSyncPS.Engine.Tests.Dialects.QuoteIdentifierTests;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>
/// Provider exceptions become the few kinds the cmdlets turn into ErrorIds. Only exceptions the tests
/// can build are here: MySqlException and SqlException have no public constructor.
/// </summary>
public sealed class ClassifyTests
{
    [Theory]
    [InlineData("28P01", SyncErrorKind.AuthenticationFailed)]
    [InlineData("28000", SyncErrorKind.AuthenticationFailed)]
    [InlineData("3D000", SyncErrorKind.DatabaseNotFound)]
    [InlineData("42P01", SyncErrorKind.TableNotFound)]
    [InlineData("42703", SyncErrorKind.ColumnNotFound)]
    [InlineData("57014", SyncErrorKind.Cancelled)]
    [InlineData("22012", SyncErrorKind.QueryFailed)]
    public void PostgreSqlStates(string sqlState, SyncErrorKind kind) =>
        Assert.Equal(kind, Dialect(ProviderKind.PostgreSql).Classify(new PostgresException("message", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void PostgreSqlNetworkFailures()
    {
        var d = Dialect(ProviderKind.PostgreSql);
        Assert.Equal(SyncErrorKind.HostUnreachable, d.Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(SyncErrorKind.HostUnreachable, d.Classify(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.Equal(SyncErrorKind.HostUnreachable, d.Classify(new NpgsqlException("connection broken")));
        Assert.Null(d.Classify(new InvalidOperationException("not a database error")));
    }

    [Fact]
    public void AWrappedProviderErrorIsFoundInside() =>
        Assert.Equal(SyncErrorKind.TableNotFound,
            Dialect(ProviderKind.PostgreSql).Classify(new InvalidOperationException("outer", new PostgresException("no table", "ERROR", "ERROR", "42P01"))));

    [Theory]
    [InlineData(14, "unable to open database file", SyncErrorKind.PathNotFound)]
    [InlineData(26, "file is not a database", SyncErrorKind.PathNotFound)]
    [InlineData(9, "interrupted", SyncErrorKind.Cancelled)]
    [InlineData(1, "no such table: orders", SyncErrorKind.TableNotFound)]
    [InlineData(1, "no such column: total", SyncErrorKind.ColumnNotFound)]
    [InlineData(1, "near \"SELEC\": syntax error", SyncErrorKind.QueryFailed)]
    public void SqliteCodes(int code, string message, SyncErrorKind kind) =>
        Assert.Equal(kind, Dialect(ProviderKind.Sqlite).Classify(new SqliteException(message, code)));

    [Theory]
    [InlineData(ProviderKind.MySql)]
    [InlineData(ProviderKind.MariaDb)]
    [InlineData(ProviderKind.SqlServer)]
    public void SocketFailuresAreUnreachableHosts(ProviderKind kind)
    {
        Assert.Equal(SyncErrorKind.HostUnreachable, Dialect(kind).Classify(new SocketException((int)SocketError.HostNotFound)));
        Assert.Null(Dialect(kind).Classify(new InvalidOperationException("not a database error")));
    }

    [Fact]
    public async Task A_refused_SQL_Server_connection_is_an_unreachable_host()
    {
        // SqlException has no public constructor: a real one, from a port nothing listens on. On Linux it is
        // number 0 ("error: 35 - An internal exception was caught") around the SocketException.
        await using var c = new Microsoft.Data.SqlClient.SqlConnection("Server=127.0.0.1,1;User ID=sa;Password=x;Connect Timeout=2");
        var ex = await Assert.ThrowsAsync<Microsoft.Data.SqlClient.SqlException>(() => c.OpenAsync());

        Assert.Equal(SyncErrorKind.HostUnreachable, Dialect(ProviderKind.SqlServer).Classify(ex));
    }

    // The Oracle provider is loaded at run time, so its exception is recognised by type name and its
    // Number read by reflection; a stand-in with the same full name exercises exactly that path.
    [Theory]
    [InlineData(1017, SyncErrorKind.AuthenticationFailed)]
    [InlineData(12514, SyncErrorKind.DatabaseNotFound)]
    [InlineData(12541, SyncErrorKind.HostUnreachable)]
    [InlineData(12170, SyncErrorKind.HostUnreachable)]
    [InlineData(942, SyncErrorKind.TableNotFound)]
    [InlineData(904, SyncErrorKind.ColumnNotFound)]
    [InlineData(1013, SyncErrorKind.Cancelled)]
    [InlineData(1476, SyncErrorKind.QueryFailed)]
    public void OracleNumbers(int number, SyncErrorKind kind)
    {
        var d = Dialect(ProviderKind.Oracle);
        Assert.Equal(kind, d.Classify(new Oracle.ManagedDataAccess.Client.OracleException(number)));
        Assert.Equal(kind, d.Classify(new Exception("wrapped", new Oracle.ManagedDataAccess.Client.OracleException(number))));
    }
}
