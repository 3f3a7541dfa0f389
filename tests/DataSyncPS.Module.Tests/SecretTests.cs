using System.Management.Automation;
using System.Net;
using System.Security;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Save-SyncSecret, Get-SyncSecret and Remove-SyncSecret as a user types them, with both stores
/// in a temporary folder.</summary>
[Collection(nameof(SecretHomeCollection))]
public class SecretTests
{
    private const string Canary = "Sk-Canary-9d1e-NeverShow";
    private const string Secure = "[System.Net.NetworkCredential]::new('', $secret).SecurePassword";
    private static readonly Dictionary<string, object?> Vars = new() { ["secret"] = Canary };

    [Fact]
    public void Saved_secrets_are_listed_without_values_and_read_back_only_when_asked()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        rs.Run($"""
            Save-SyncSecret -Name datasnap -ApiKey ({Secure}) -ApiUrl https://api.datasnap.example/v1 -SkipValidation
            Save-SyncSecret erp-reader -Credential ([pscredential]::new('etl', ({Secure})))
            """, Vars).AssertNoErrors();

        var list = rs.Run("Get-SyncSecret").AssertNoErrors().Output;
        Assert.Equal(["datasnap", "erp-reader"], list.Select(o => (string)o.Properties["Name"].Value));
        Assert.All(list, o => Assert.Equal("DataSyncPS.SyncSecretInfo", o.TypeNames[0]));
        Assert.Equal("etl", list[1].Properties["UserName"].Value);
        Assert.Equal(new Uri("https://api.datasnap.example/v1"), list[0].Properties["ApiUrl"].Value);
        Assert.Equal("User", list[0].Properties["Scope"].Value.ToString());
        Assert.Equal(["erp-reader"], rs.Run("Get-SyncSecret -Name erp*").Output.Select(o => (string)o.Properties["Name"].Value));

        Assert.Equal(Canary, rs.Run("Get-SyncSecret datasnap -AsPlainText").AssertNoErrors().Single<string>());
        var secure = rs.Run("Get-SyncSecret datasnap -AsSecureString").AssertNoErrors().Single<SecureString>();
        Assert.Equal(Canary, new NetworkCredential("", secure).Password);
        var credential = rs.Run("Get-SyncSecret erp-reader -AsCredential").AssertNoErrors().Single<PSCredential>();
        Assert.Equal(("etl", Canary), (credential.UserName, credential.GetNetworkCredential().Password));

        var apiKeyAsCredential = rs.Run("Get-SyncSecret datasnap -AsCredential");
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.GetSyncSecretCommand", Assert.Single(apiKeyAsCredential.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Remove_takes_a_name_or_piped_secrets_and_a_missing_name_is_SecretNotFound()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        rs.Run($$"""
            'a', 'b', 'c' | ForEach-Object { Save-SyncSecret -Name $_ -ApiKey ({{Secure}}) -SkipValidation }
            Save-SyncSecret -Name m -ApiKey ({{Secure}}) -SkipValidation -Scope Machine
            """, Vars).AssertNoErrors();

        var removed = rs.Run("Remove-SyncSecret a -PassThru").AssertNoErrors().Single();
        Assert.Equal("a", (string)removed.Name);
        rs.Run("Get-SyncSecret -Name [bm] | Remove-SyncSecret").AssertNoErrors();
        Assert.Equal(["c"], rs.Run("Get-SyncSecret").Output.Select(o => (string)o.Properties["Name"].Value));

        foreach (var command in new[] { "Remove-SyncSecret a", "Get-SyncSecret a", "Get-SyncSecret a -AsPlainText", "Get-SyncSecret c -Scope Machine" })
        {
            var error = Assert.Single(rs.Run(command).Errors);
            Assert.StartsWith("SecretNotFound,DataSyncPS.Cmdlets.", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        }
    }

    [Fact]
    public void The_machine_scope_is_a_store_of_its_own_and_a_name_is_looked_up_in_the_user_store_first()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        rs.Run($"""
            Save-SyncSecret -Name shared -ApiKey ({Secure}) -SkipValidation -Scope Machine
            Save-SyncSecret -Name shared -ApiKey ([System.Net.NetworkCredential]::new('', 'users-own').SecurePassword) -SkipValidation
            """, Vars).AssertNoErrors();

        Assert.Equal(["User", "Machine"], rs.Run("Get-SyncSecret shared").Output.Select(o => o.Properties["Scope"].Value.ToString()));
        Assert.Equal("users-own", rs.Run("Get-SyncSecret shared -AsPlainText").Single<string>());
        Assert.Equal(Canary, rs.Run("Get-SyncSecret shared -AsPlainText -Scope Machine").Single<string>());
        Assert.True(File.Exists(Path.Combine(homes.Machine, "secrets", "secrets.json")));
        rs.Run("Remove-SyncSecret shared").AssertNoErrors();
        Assert.Equal(Canary, rs.Run("Get-SyncSecret shared -AsPlainText").Single<string>());
    }

    [Fact]
    public void WhatIf_writes_nothing_at_all()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        rs.Run($"""
            Save-SyncSecret -Name datasnap -ApiKey ({Secure}) -SkipValidation -WhatIf
            Save-SyncSecret -Name erp -Credential ([pscredential]::new('etl', ({Secure}))) -Scope Machine -WhatIf
            """, Vars).AssertNoErrors();
        Assert.Empty(homes.Files());
        Assert.False(Directory.Exists(homes.User) || Directory.Exists(homes.Machine));

        rs.Run($"Save-SyncSecret -Name datasnap -ApiKey ({Secure}) -SkipValidation", Vars).AssertNoErrors();
        var before = homes.Files().ToDictionary(f => f.Path, f => f.Bytes);
        rs.Run($"""
            Remove-SyncSecret datasnap -WhatIf
            Save-SyncSecret -Name datasnap -ApiKey ({Secure}) -SkipValidation -Force -WhatIf
            """, Vars).AssertNoErrors();
        Assert.Equal(before, homes.Files().ToDictionary(f => f.Path, f => f.Bytes));
    }

    [Fact]
    public void Saving_over_a_secret_is_refused_without_Force()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        rs.Run($"Save-SyncSecret -Name datasnap -ApiKey ({Secure}) -SkipValidation", Vars).AssertNoErrors();

        var again = rs.Run("Save-SyncSecret -Name DataSnap -ApiKey ([System.Net.NetworkCredential]::new('', 'other').SecurePassword) -SkipValidation");
        var error = Assert.Single(again.Errors);
        Assert.Equal("SecretExists,DataSyncPS.Cmdlets.SaveSyncSecretCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Force", error.ToString());
        Assert.Equal(Canary, rs.Run("Get-SyncSecret datasnap -AsPlainText").Single<string>());

        rs.Run("Save-SyncSecret -Name datasnap -ApiKey ([System.Net.NetworkCredential]::new('', 'other').SecurePassword) -SkipValidation -Force").AssertNoErrors();
        Assert.Equal("other", rs.Run("Get-SyncSecret datasnap -AsPlainText").Single<string>());
    }

    [Fact]
    public void An_api_key_saved_without_url_or_schema_and_without_SkipValidation_warns_that_it_was_not_checked()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"Save-SyncSecret -Name datasnap -ApiKey ({Secure})", Vars).AssertNoErrors();
        Assert.Contains(r.Warnings, w => w.Contains("without being checked", StringComparison.Ordinal));
        Assert.Empty(rs.Run($"Save-SyncSecret -Name other -ApiKey ({Secure}) -SkipValidation", Vars).Warnings);
    }

    [Fact]
    public void Bad_names_and_relative_urls_are_InvalidArgument()
    {
        using var homes = new SecretHomes();
        using var rs = new ModuleRunspace();
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SaveSyncSecretCommand",
            Assert.Single(rs.Run($"Save-SyncSecret -Name 'two words' -ApiKey ({Secure}) -SkipValidation", Vars).Errors).FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.SaveSyncSecretCommand",
            Assert.Single(rs.Run($"Save-SyncSecret -Name ok -ApiKey ({Secure}) -ApiUrl api/v1 -Schema vendas", Vars).Errors).FullyQualifiedErrorId);
        Assert.Empty(homes.Files());
    }
}
