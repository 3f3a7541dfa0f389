using System.Net;
using DataSyncPS.Engine.Sources;
using static DataSyncPS.Engine.Tests.Dialects.QuoteIdentifierTests;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>What the admin gives (server, port, database, credential or a connection string) becomes the
/// provider's connection string, and Describe reads the same place back for messages and output.</summary>
public sealed class ConnectionStringTests
{
    private const string Password = "s3cr3t-P4ss";
    private static readonly NetworkCredential Credential = new("etl_user", Password);

    [Theory]
    [InlineData(ProviderKind.PostgreSql)]
    [InlineData(ProviderKind.MySql)]
    [InlineData(ProviderKind.MariaDb)]
    [InlineData(ProviderKind.SqlServer)]
    [InlineData(ProviderKind.Oracle)]
    public void ServerPortDatabaseAndUserRoundTrip(ProviderKind kind)
    {
        var d = Dialect(kind);
        var cs = d.BuildConnectionString(new ConnectionSpec { Provider = kind, Server = "db.example.com", Port = 6543, Database = "sales", Credential = Credential });
        Assert.Equal(("db.example.com", 6543, "sales", "etl_user"), d.Describe(cs));
        Assert.Contains(Password, cs); // the provider needs it; SyncSource keeps it out of every property
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "Host=pg1;Port=5433;Database=app;Username=u1;Password=p", "pg1", 5433, "app", "u1")]
    [InlineData(ProviderKind.MariaDb, "Server=my1;Port=3307;Database=app;User ID=u1;Password=p", "my1", 3307, "app", "u1")]
    [InlineData(ProviderKind.SqlServer, "Data Source=sql1,1444;Initial Catalog=app;User ID=u1;Password=p", "sql1", 1444, "app", "u1")]
    [InlineData(ProviderKind.SqlServer, "Server=sql1\\SQLEXPRESS;Database=app;User ID=u1;Password=p", "sql1\\SQLEXPRESS", null, "app", "u1")]
    [InlineData(ProviderKind.Oracle, "Data Source=ora1:1522/ORCLPDB1;User Id=u1;Password=p", "ora1", 1522, "ORCLPDB1", "u1")]
    [InlineData(ProviderKind.Oracle, "Data Source=ora1/ORCLPDB1;User Id=u1;Password=p", "ora1", null, "ORCLPDB1", "u1")]
    public void AConnectionStringIsDescribedFromItsOwnKeywords(ProviderKind kind, string given, string server, int? port, string database, string user)
    {
        var d = Dialect(kind);
        Assert.Equal((server, port, database, user), d.Describe(d.BuildConnectionString(new ConnectionSpec { Provider = kind, ConnectionString = given })));
    }

    [Fact]
    public void ParametersOverrideTheConnectionString()
    {
        var d = Dialect(ProviderKind.PostgreSql);
        var cs = d.BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.PostgreSql, ConnectionString = "Host=old;Database=old;Username=old", Server = "new", Database = "newdb", Credential = Credential });
        Assert.Equal(("new", 5432, "newdb", "etl_user"), d.Describe(cs));
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "localhost", 5432)]
    [InlineData(ProviderKind.MariaDb, "localhost", 3306)]
    public void AServerDefaultsToLocalhost(ProviderKind kind, string server, int port)
    {
        var d = Dialect(kind);
        var (s, p, _, _) = d.Describe(d.BuildConnectionString(new ConnectionSpec { Provider = kind, Database = "x" }));
        Assert.Equal((server, port), (s, p));
    }

    [Fact]
    public void SqlServerUsesWindowsAuthenticationWhenNoCredentialIsGiven()
    {
        var d = Dialect(ProviderKind.SqlServer);
        var cs = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(d.BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.SqlServer, Server = "sql1", Port = 1433, Database = "app" }));
        Assert.True(cs.IntegratedSecurity);
        Assert.Equal("sql1,1433", cs.DataSource);
        Assert.Equal(("sql1", 1433, "app", Environment.UserName), d.Describe(cs.ConnectionString));
    }

    [Fact]
    public void SqlServerWithACredentialUsesSqlAuthenticationAndCanTrustTheCertificate()
    {
        var d = Dialect(ProviderKind.SqlServer);
        var cs = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(d.BuildConnectionString(new ConnectionSpec
        {
            Provider = ProviderKind.SqlServer, ConnectionString = "Server=sql1;Integrated Security=true", Credential = Credential, TrustServerCertificate = true,
        }));
        Assert.False(cs.IntegratedSecurity);
        Assert.Equal("etl_user", cs.UserID);
        Assert.True(cs.TrustServerCertificate);
        Assert.Equal("DataSyncPS", cs.ApplicationName);
    }

    [Theory]
    [InlineData(null, null, "ora1:1521/ORCL")]
    [InlineData(1530, "SALES", "ora1:1530/SALES")]
    public void OracleBuildsAnEasyConnectDataSource(int? port, string? service, string dataSource)
    {
        var cs = Dialect(ProviderKind.Oracle).BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.Oracle, Server = "ora1", Port = port, Database = service });
        Assert.Equal(dataSource, new System.Data.Common.DbConnectionStringBuilder { ConnectionString = cs }["Data Source"]);
    }

    [Fact]
    public void OracleKeepsATnsDescriptorWhole()
    {
        const string tns = "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCL)))";
        var d = Dialect(ProviderKind.Oracle);
        var (server, port, database, _) = d.Describe(d.BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.Oracle, ConnectionString = $"Data Source=\"{tns}\"" }));
        Assert.Equal((tns, (int?)null, (string?)null), (server, port, database));
    }

    [Fact]
    public void OracleWithoutADataSourceSaysWhatIsMissing()
    {
        var ex = Assert.Throws<SyncException>(() => Dialect(ProviderKind.Oracle).BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.Oracle, Credential = Credential }));
        Assert.Equal(SyncErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Server", ex.Message);
    }

    [Fact]
    public void SqliteNamesTheFileAndNeverCreatesIt()
    {
        var d = Dialect(ProviderKind.Sqlite);
        var cs = d.BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.Sqlite, Path = "/data/app.db" });
        Assert.Equal(((string?)null, (int?)null, "/data/app.db", (string?)null), d.Describe(cs));
        Assert.Equal(Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite, new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).Mode);
        Assert.Equal(SyncErrorKind.InvalidArgument, Assert.Throws<SyncException>(() => d.BuildConnectionString(new ConnectionSpec { Provider = ProviderKind.Sqlite })).Kind);
    }

    // The bad value is the password itself, so a message that quotes a value would show it.
    [Theory]
    [InlineData(ProviderKind.PostgreSql, "Host=h;Password=" + Password + ";Port=" + Password, "Port")]
    [InlineData(ProviderKind.MariaDb, "Server=h;Password=" + Password + ";Port=" + Password, "Port")]
    [InlineData(ProviderKind.SqlServer, "Server=h;Password=" + Password + ";Connect Timeout=" + Password, "Connect Timeout")]
    [InlineData(ProviderKind.Sqlite, "Data Source=x.db;Password=" + Password + ";Pooling=" + Password, "Pooling")]
    public void ABadValueNamesItsKeywordButNeverTheValue(ProviderKind kind, string connectionString, string keyword)
    {
        var ex = Malformed(kind, connectionString);
        Assert.Contains($"'{keyword}'", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "Host=h;Password=" + Password + ";Bogus Keyword=1")]
    [InlineData(ProviderKind.MariaDb, "Server=h;Password=" + Password + ";Bogus Keyword=1")]
    [InlineData(ProviderKind.SqlServer, "Server=h;Password=" + Password + ";Bogus Keyword=1")]
    [InlineData(ProviderKind.Sqlite, "Data Source=x.db;Password=" + Password + ";Bogus Keyword=1")]
    public void AnUnknownKeywordIsFoundByPosition(ProviderKind kind, string connectionString)
    {
        var ex = Malformed(kind, connectionString);
        Assert.Contains("keyword 3", ex.Message);
    }

    [Theory]
    [InlineData(ProviderKind.PostgreSql, "Host=h;Password='" + Password)]
    [InlineData(ProviderKind.MariaDb, "Server=h;Password=\"" + Password)]
    [InlineData(ProviderKind.SqlServer, "Server=h;Password='" + Password)]
    [InlineData(ProviderKind.Oracle, "Data Source=h;Password='" + Password)]
    [InlineData(ProviderKind.Sqlite, "Data Source=x.db;Password='" + Password)]
    [InlineData(ProviderKind.PostgreSql, Password)]
    public void AStringThatIsNotKeyValuePairsSaysSo(ProviderKind kind, string connectionString)
    {
        var ex = Malformed(kind, connectionString);
        Assert.Contains("key=value", ex.Message);
    }

    // A password holding ';' unquoted splits into a fragment that looks like a keyword: never print it.
    [Fact]
    public void AFragmentOfAnUnquotedPasswordIsNotEchoed()
    {
        var ex = Malformed(ProviderKind.PostgreSql, "Host=h;Password=abc;Tail0fMyS3cret=x");
        Assert.DoesNotContain("Tail0fMyS3cret", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static SyncException Malformed(ProviderKind kind, string connectionString)
    {
        var ex = Assert.Throws<SyncException>(() => Dialect(kind).BuildConnectionString(new ConnectionSpec { Provider = kind, ConnectionString = connectionString }));
        Assert.Equal(SyncErrorKind.ConnectionStringInvalid, ex.Kind);
        Assert.Contains(kind.ToString(), ex.Message);
        for (Exception? e = ex; e is not null; e = e.InnerException)
            Assert.DoesNotContain(Password, e.Message);
        return ex;
    }
}
