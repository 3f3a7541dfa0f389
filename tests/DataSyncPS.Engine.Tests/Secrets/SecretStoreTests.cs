using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>Save, read back, list and remove, per scope.</summary>
public class SecretStoreTests
{
    [Theory]
    [InlineData(SecretScope.User)]
    [InlineData(SecretScope.Machine)]
    public void An_api_key_and_a_credential_come_back_as_saved(SecretScope scope)
    {
        using var folders = new SecretFolders();
        var store = folders.Store(scope);
        var key = store.Save(NewSecret.ApiKey("datasnap", "k3y-ÿ-ключ-🔑", new Uri("https://api.example/v1")), overwrite: false);
        store.Save(NewSecret.Credential("erp-reader", "etl", "p@ss w0rd"), overwrite: false);

        Assert.Equal(scope, key.Scope);
        Assert.Equal(folders.For(scope).StoreFile, key.Path);
        using (var apiKey = store.Read("DataSnap"))
        {
            Assert.Equal("k3y-ÿ-ключ-🔑", apiKey.Reveal());
            Assert.Equal(SecretKind.ApiKey, apiKey.Info.Kind);
            Assert.Equal(new Uri("https://api.example/v1"), apiKey.Info.ApiUrl);
            Assert.Null(apiKey.Info.UserName);
        }
        using var credential = store.Read("erp-reader");
        var network = credential.ToNetworkCredential();
        Assert.Equal(("etl", "p@ss w0rd"), (network.UserName, network.Password));
    }

    [Fact]
    public void List_describes_every_secret_by_name_without_its_value()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        Assert.Empty(store.List());
        store.Save(NewSecret.Credential("zeta", "z", "zeta-secret"), false);
        store.Save(NewSecret.ApiKey("alpha", "alpha-secret"), false);

        var list = store.List();
        Assert.Equal(["alpha", "zeta"], list.Select(i => i.Name));
        Assert.Equal([SecretKind.ApiKey, SecretKind.Credential], list.Select(i => i.Kind));
        Assert.All(list, i => Assert.Equal(OperatingSystem.IsWindows() ? "dpapi-currentuser" : "aes-256-gcm", i.Protection));
        Assert.DoesNotContain(list.SelectMany(i => typeof(SyncSecretInfo).GetProperties().Select(p => p.GetValue(i)?.ToString())),
            v => v is not null && v.Contains("-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Saving_over_a_secret_needs_overwrite_and_keeps_the_creation_time()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        var first = store.Save(NewSecret.ApiKey("datasnap", "old"), false);

        var refused = Assert.Throws<SyncException>(() => store.Save(NewSecret.ApiKey("DATASNAP", "new"), false));
        Assert.Equal(SyncErrorKind.SecretExists, refused.Kind);
        using (var unchanged = store.Read("datasnap")) Assert.Equal("old", unchanged.Reveal());

        var second = store.Save(NewSecret.ApiKey("datasnap", "new"), true);
        Assert.Equal(first.Created, second.Created);
        Assert.True(second.Updated >= first.Updated);
        using var replaced = store.Read("datasnap");
        Assert.Equal("new", replaced.Reveal());
        Assert.Single(store.List());
    }

    [Fact]
    public void Remove_deletes_one_secret_and_says_when_there_was_none()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.Machine);
        Assert.Null(store.Remove("nothing-yet"));
        store.Save(NewSecret.ApiKey("a", "1"), false);
        store.Save(NewSecret.ApiKey("b", "2"), false);

        Assert.Equal("a", store.Remove("A")?.Name);
        Assert.Null(store.Remove("a"));
        Assert.Equal(["b"], store.List().Select(i => i.Name));
        Assert.Equal(SyncErrorKind.SecretNotFound, Assert.Throws<SyncException>(() => store.Read("a")).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("wild*")]
    [InlineData("-leading-dash")]
    [InlineData("quote'")]
    public void Names_that_would_be_ambiguous_in_a_command_line_are_refused(string name)
    {
        using var folders = new SecretFolders();
        var error = Assert.Throws<SyncException>(() => folders.Store(SecretScope.User).Save(NewSecret.ApiKey(name, "x"), false));
        Assert.Equal(SyncErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Readers_are_for_the_machine_scope_only()
    {
        using var folders = new SecretFolders();
        var error = Assert.Throws<SyncException>(() => folders.Store(SecretScope.User).Save(NewSecret.ApiKey("a", "x"), false, ["daemon"]));
        Assert.Equal(SyncErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Parallel_saves_all_land_because_writers_take_the_lock()
    {
        using var folders = new SecretFolders();
        Parallel.For(0, 12, i => new SecretStore(folders.User).Save(NewSecret.ApiKey($"key-{i}", $"value-{i}"), false));
        var store = folders.Store(SecretScope.User);
        Assert.Equal(12, store.List().Count);
        using var last = store.Read("key-11");
        Assert.Equal("value-11", last.Reveal());
    }
}
