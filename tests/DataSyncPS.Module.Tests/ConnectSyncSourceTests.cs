using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Connect-SyncSource as a user types it, against the real servers.</summary>
public class ConnectSyncSourceTests
{
    private const string Cred = "[pscredential]::new($user, [System.Net.NetworkCredential]::new('', $password).SecurePassword)";

    private static Dictionary<string, object?> Vars(string user, string password) => new() { ["user"] = user, ["password"] = password };

    [Fact]
    public void Connects_with_a_credential_and_reports_the_server_version_without_the_password()
    {
        ModuleServers.RequirePostgreSql();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Database datasync_test -Credential ({Cred}) -Name prod",
            Vars(ModuleServers.SecretUser, ModuleServers.SecretPassword)).AssertNoErrors();
        var source = r.Single();
        Assert.Equal("prod", (string)source.Name);
        Assert.Equal("datasync_test", (string)source.Database);
        Assert.Equal(ModuleServers.SecretUser, (string)source.User);
        Assert.Contains("15", (string)source.ServerVersion);
        // Every property as PowerShell shows it (Format-List is not in the bare engine), and the object's text.
        var everything = rs.Run("$src.PSObject.Properties | ForEach-Object { '{0}={1}' -f $_.Name, $_.Value }; \"$src\"",
            new() { ["src"] = source }).AssertNoErrors().Output.Select(o => o?.ToString()).ToList();
        Assert.Contains(everything, s => s!.StartsWith("User=" + ModuleServers.SecretUser));
        Assert.DoesNotContain(everything, s => s is not null && s.Contains(ModuleServers.SecretPassword));
    }

    [Theory]
    [InlineData("Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port 1 -Database datasync_test -Credential ({0})", "HostUnreachable", "127.0.0.1")]
    [InlineData("Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Database datasync_test -Credential ({0}) -ConnectTimeout 5", "AuthenticationFailed", "datasync_test", "wrong")]
    [InlineData("Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Database no_such_db -Credential ({0})", "DatabaseNotFound", "no_such_db")]
    [InlineData("Connect-SyncSource -Provider PostgreSql -ConnectionString 'Host=127.0.0.1;Password={1};Bogus Key Without Value'", "ConnectionStringInvalid", "PostgreSql")]
    public void Each_connection_failure_has_its_own_error_id_and_never_shows_the_password(string command, string errorId, string named, string? password = null)
    {
        ModuleServers.RequirePostgreSql();
        using var rs = new ModuleRunspace();
        var secret = password is null ? ModuleServers.SecretPassword : ModuleServers.SecretPassword + "-" + password;
        var r = rs.Run(string.Format(command, Cred, secret), Vars(ModuleServers.SecretUser, secret));
        var error = Assert.Single(r.Errors);
        Assert.Equal($"{errorId},DataSyncPS.Cmdlets.ConnectSyncSourceCommand", error.FullyQualifiedErrorId);
        Assert.Contains(named, error.ToString());
        Assert.DoesNotContain(ModuleServers.SecretPassword, error.ToString());
        Assert.DoesNotContain(ModuleServers.SecretPassword, error.Exception.ToString());
        Assert.Empty(r.Output);
    }

    [Fact]
    public void MariaDb_failures_have_the_same_error_ids()
    {
        ModuleServers.RequireMariaDb();
        var (user, password, database) = ModuleServers.MariaDbLogin;
        using var rs = new ModuleRunspace();
        var connect = $"Connect-SyncSource -Provider MariaDb -Server 127.0.0.1 -Database {{0}} -Credential ({Cred})";
        var wrong = rs.Run(string.Format(connect, database), Vars(user, "not-the-password"));
        Assert.Equal("AuthenticationFailed,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
        Assert.DoesNotContain("not-the-password", wrong.Errors[0].ToString());
        // A user the server does not know is refused with another code (1698) than a wrong password (1045).
        var nouser = rs.Run(string.Format(connect, database), Vars("nosuchuser", "not-the-password"));
        var refused = Assert.Single(nouser.Errors);
        Assert.Equal("AuthenticationFailed,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("nosuchuser", refused.ToString());
        var nodb = rs.Run(string.Format(connect, "no_such_db"), Vars(user, password));
        Assert.Equal("DatabaseNotFound,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", Assert.Single(nodb.Errors).FullyQualifiedErrorId);
        var ok = rs.Run(string.Format(connect, database), Vars(user, password)).AssertNoErrors();
        Assert.Contains("MariaDB", (string)ok.Single().ServerVersion);
    }

    [Fact]
    public void A_missing_sqlite_file_or_log_path_is_PathNotFound()
    {
        using var rs = new ModuleRunspace();
        var sqlite = rs.Run("Connect-SyncSource -Provider Sqlite -Path ./no/such.db");
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", Assert.Single(sqlite.Errors).FullyQualifiedErrorId);
        var log = rs.Run("Connect-SyncSource -Provider LaravelLog -Path ./no/such/laravel.log");
        Assert.Equal("PathNotFound,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", Assert.Single(log.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Oracle_without_its_provider_says_how_to_get_it()
    {
        using var rs = new ModuleRunspace();
        using var empty = new TempDirectory();
        var r = rs.Run("Connect-SyncSource -Provider Oracle -Server db.example -Database ORCL -ProviderPath $dir -Credential ([pscredential]::new('u', [System.Net.NetworkCredential]::new('', 'p').SecurePassword))",
            new() { ["dir"] = empty.Path });
        var error = Assert.Single(r.Errors);
        Assert.Equal("ProviderMissing,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Oracle.ManagedDataAccess", error.ToString());
        Assert.Contains("-ProviderPath", error.ToString());
    }
}
