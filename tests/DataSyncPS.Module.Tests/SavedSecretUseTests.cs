using System.Management.Automation;
using System.Text;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Saved secrets in use: a DataSnap key checked before it is saved, a saved credential given by
/// name to Connect-SyncSource, and the secret never shown in any stream, object or file.</summary>
[Collection(nameof(SecretHomeCollection))]
public class SavedSecretUseTests
{
    private const string SaveKey = "Save-SyncSecret -Name datasnap -ApiKey ([System.Net.NetworkCredential]::new('', $key).SecurePassword) -ApiUrl $url -Schema {0} -Verbose";

    [Fact]
    public void A_DataSnap_key_is_checked_against_the_api_before_it_is_saved()
    {
        using var homes = new SecretHomes();
        using var api = new SchemaApiStub();
        using var rs = new ModuleRunspace();
        Dictionary<string, object?> Vars(string key) => new() { ["key"] = key, ["url"] = api.Url };

        var ok = rs.Run(string.Format(SaveKey, "vendas"), Vars(SchemaApiStub.GoodKey)).AssertNoErrors();
        Assert.Equal("datasnap", (string)ok.Single().Name);
        Assert.Contains(ok.Verbose, v => v.Contains("valid for schema 'vendas' (Vendas)", StringComparison.Ordinal));
        Assert.Equal([SchemaApiStub.GoodKey], api.KeysSeen);

        var wrongKey = rs.Run(string.Format(SaveKey, "vendas") + " -Force", Vars("dsk_wrong_" + SchemaApiStub.GoodKey));
        Assert.Equal("AuthenticationFailed,DataSyncPS.Cmdlets.SaveSyncSecretCommand", Assert.Single(wrongKey.Errors).FullyQualifiedErrorId);
        Assert.Contains("invalid API key", wrongKey.Errors[0].ToString());
        var unknownSchema = rs.Run(string.Format(SaveKey, "compras") + " -Force", Vars(SchemaApiStub.GoodKey));
        Assert.Equal("SchemaNotFound,DataSyncPS.Cmdlets.SaveSyncSecretCommand", Assert.Single(unknownSchema.Errors).FullyQualifiedErrorId);
        Assert.Contains("compras", unknownSchema.Errors[0].ToString());
        // Refused keys leave the saved one as it was.
        Assert.Equal(SchemaApiStub.GoodKey, rs.Run("Get-SyncSecret datasnap -AsPlainText").Single<string>());

        var skipped = rs.Run(string.Format(SaveKey, "compras") + " -Force -SkipValidation", Vars("dsk_unchecked"));
        skipped.AssertNoErrors();
        Assert.Equal(3, api.KeysSeen.Count);
    }

    [Fact]
    public void An_unreachable_api_is_HostUnreachable_and_nothing_is_saved()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        var r = rs.Run(string.Format(SaveKey, "vendas"), new() { ["key"] = SchemaApiStub.GoodKey, ["url"] = "http://127.0.0.1:1/v1" });
        Assert.Equal("HostUnreachable,DataSyncPS.Cmdlets.SaveSyncSecretCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Empty(homes.Files());
    }

    [Fact]
    public void Connect_SyncSource_takes_a_saved_credential_by_name()
    {
        ModuleServers.RequirePostgreSql();
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        rs.Run("Save-SyncSecret -Name erp-reader -Credential ([pscredential]::new($user, [System.Net.NetworkCredential]::new('', $password).SecurePassword))",
            new() { ["user"] = ModuleServers.SecretUser, ["password"] = ModuleServers.SecretPassword }).AssertNoErrors();

        var r = rs.Run("Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Database datasync_test -Credential erp-reader -Verbose").AssertNoErrors();
        Assert.Equal(ModuleServers.SecretUser, (string)r.Single().User);
        Assert.Contains("15", (string)r.Single().ServerVersion);
        AssertNowhere(ModuleServers.SecretPassword, rs, r, homes);

        var apiKey = rs.Run("""
            Save-SyncSecret -Name datasnap -ApiKey ([System.Net.NetworkCredential]::new('', 'k').SecurePassword) -SkipValidation
            Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Database datasync_test -Credential datasnap
            """);
        var error = Assert.Single(apiKey.Errors);
        Assert.Equal("ParameterArgumentTransformationError,DataSyncPS.Cmdlets.ConnectSyncSourceCommand", error.FullyQualifiedErrorId);
        Assert.Contains("'datasnap' is an API key, not a credential", error.ToString());
    }

    [Fact]
    public void A_SecureString_parameter_with_the_same_attribute_takes_a_saved_api_key_by_name()
    {
        // What Send-DataSnapBatch -ApiKey will declare, tried on a function until that cmdlet exists.
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        var r = rs.Run("""
            Save-SyncSecret -Name datasnap -ApiKey ([System.Net.NetworkCredential]::new('', 'dsk-by-name').SecurePassword) -SkipValidation | Out-Null
            function Use-Key { param([DataSyncPS.Hosting.SavedSecret('ApiKey')][securestring] $ApiKey) [System.Net.NetworkCredential]::new('', $ApiKey).Password }
            Use-Key -ApiKey datasnap
            Use-Key -ApiKey ([System.Net.NetworkCredential]::new('', 'given-directly').SecurePassword)
            """).AssertNoErrors();
        Assert.Equal(["dsk-by-name", "given-directly"], r.Output.Select(o => o.ToString()));

        var missing = rs.Run("Use-Key -ApiKey nosuchkey");
        Assert.StartsWith("ParameterArgumentTransformationError", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.Contains("No API key named 'nosuchkey' is saved", missing.Errors[0].ToString());
    }

    [Fact]
    public void The_secret_never_shows_in_output_verbose_warnings_errors_or_files()
    {
        const string canary = "Leak-Canary-Q7w2-e5r8";
        using var homes = new SecretHomes();
        using var api = new SchemaApiStub();
        using var rs = new ModuleRunspace();
        var r = rs.Run("""
            $key = [System.Net.NetworkCredential]::new('', $canary).SecurePassword
            Save-SyncSecret -Name datasnap -ApiKey $key -Verbose
            Save-SyncSecret -Name datasnap -ApiKey $key -Verbose
            Save-SyncSecret -Name datasnap -ApiKey $key -ApiUrl $url -Schema vendas -Force -Verbose
            Save-SyncSecret -Name machine-key -ApiKey $key -SkipValidation -Scope Machine -Verbose
            Save-SyncSecret -Name erp -Credential ([pscredential]::new('etl', $key)) -Verbose
            Get-SyncSecret -Verbose
            Get-SyncSecret -Name datasnap -Verbose
            Get-SyncSecret datasnap -AsSecureString -Verbose
            Get-SyncSecret datasnap -AsCredential -Verbose
            Get-SyncSecret erp -AsCredential -Verbose
            Get-SyncSecret missing -AsPlainText -Verbose
            Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port 1 -Database none -Credential erp -Verbose -ConnectTimeout 2
            Remove-SyncSecret erp -Verbose -PassThru
            """, new() { ["canary"] = canary, ["url"] = api.Url });
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("AuthenticationFailed,", StringComparison.Ordinal));
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("SecretExists,", StringComparison.Ordinal));
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("SecretNotFound,", StringComparison.Ordinal));
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("HostUnreachable,", StringComparison.Ordinal));
        Assert.NotEmpty(r.Verbose);
        AssertNowhere(canary, rs, r, homes);
    }

    /// <summary>Fails if the secret is in any stream, any property of an output object, or any byte of the
    /// stores (UTF-8 or UTF-16).</summary>
    private static void AssertNowhere(string secret, ModuleRunspace rs, RunResult r, SecretHomes homes)
    {
        // The engine here has no Format-* cmdlets: every property's value as PowerShell turns it into text.
        var shown = rs.Run("$objects | ForEach-Object { $_.PSObject.Properties | ForEach-Object { \"$($_.Value)\" } }",
            new() { ["objects"] = r.Output.ToArray() }).AssertNoErrors().Output.Select(o => o?.ToString());
        var text = r.Output.Select(o => o?.ToString()).Concat(shown).Concat(r.Verbose).Concat(r.Warnings)
            .Concat(r.Errors.SelectMany(e => new[] { e.ToString(), e.Exception.ToString(), e.TargetObject?.ToString(), e.ErrorDetails?.Message }));
        Assert.DoesNotContain(text, t => t is not null && t.Contains(secret, StringComparison.Ordinal));
        foreach (var (path, bytes) in homes.Files())
            foreach (var form in new[] { Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret) })
                Assert.True(bytes.AsSpan().IndexOf(form) < 0, $"'{path}' holds the secret");
    }
}
