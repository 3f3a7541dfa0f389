using System.Text;
using System.Text.Json.Nodes;
using DataSyncPS.Engine.Secrets;

namespace DataSyncPS.Engine.Tests.Secrets;

/// <summary>What is on disk: no plaintext anywhere, and every change to a stored value or what it is
/// bound to (name, kind, user name, URL) fails to decrypt with a clear error.</summary>
public class SecretAtRestTests
{
    private const string Canary = "Canary-Secret-7f3a9c-Ünïcødé";

    [Theory]
    [InlineData(SecretScope.User)]
    [InlineData(SecretScope.Machine)]
    public void No_file_holds_the_secret_in_utf8_utf16_or_base64(SecretScope scope)
    {
        using var folders = new SecretFolders();
        var store = folders.Store(scope);
        store.Save(NewSecret.ApiKey("datasnap", Canary, new Uri("https://api.example/v1")), false);
        store.Save(NewSecret.Credential("erp", "etl", Canary + "-pw"), false);
        store.Save(NewSecret.ApiKey("datasnap", Canary, null), true);
        store.Remove("erp");

        var forms = new[]
        {
            Encoding.UTF8.GetBytes(Canary), Encoding.Unicode.GetBytes(Canary), Encoding.BigEndianUnicode.GetBytes(Canary),
            Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary))),
            Encoding.UTF8.GetBytes("Canary-Secret"), Encoding.Unicode.GetBytes("Canary-Secret"),
        };
        var files = folders.Files().ToList();
        Assert.Contains(files, f => f.Path.EndsWith("secrets.json", StringComparison.Ordinal));
        foreach (var (path, bytes) in files)
            foreach (var form in forms)
                Assert.True(bytes.AsSpan().IndexOf(form) < 0, $"'{path}' holds the secret");
    }

    [Fact]
    public void The_store_file_is_json_with_the_names_in_the_clear_and_the_values_encrypted()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("The layout of the value checked here is AES-GCM's.");
        using var folders = new SecretFolders();
        folders.Store(SecretScope.User).Save(NewSecret.Credential("erp", "etl", Canary), false);
        var json = JsonNode.Parse(File.ReadAllText(folders.User.StoreFile))!;
        Assert.Equal(1, (int)json["format"]!);
        Assert.Equal("aes-256-gcm", (string)json["protection"]!);
        var entry = json["secrets"]![0]!;
        Assert.Equal(("erp", "Credential", "etl"), ((string)entry["name"]!, (string)entry["kind"]!, (string)entry["userName"]!));
        // nonce (12) + ciphertext (as long as the UTF-8 secret) + tag (16)
        Assert.Equal(12 + Encoding.UTF8.GetByteCount(Canary) + 16, Convert.FromBase64String((string)entry["value"]!).Length);
    }

    [Fact]
    public void Two_saves_of_the_same_value_do_not_look_alike()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("a", Canary), false);
        store.Save(NewSecret.ApiKey("b", Canary), false);
        var values = JsonNode.Parse(File.ReadAllText(folders.User.StoreFile))!["secrets"]!.AsArray().Select(e => (string)e!["value"]!).ToList();
        Assert.NotEqual(values[0], values[1]);
    }

    [Fact]
    public void A_changed_byte_of_ciphertext_fails_with_SecretUnreadable_naming_the_secret()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("datasnap", Canary), false);
        Edit(folders.User, json =>
        {
            var bytes = Convert.FromBase64String((string)json["secrets"]![0]!["value"]!);
            bytes[14] ^= 0x01;
            json["secrets"]![0]!["value"] = Convert.ToBase64String(bytes);
        });
        var error = Assert.Throws<SyncException>(() => store.Read("datasnap"));
        Assert.Equal(SyncErrorKind.SecretUnreadable, error.Kind);
        Assert.Contains("'datasnap'", error.Message);
        Assert.DoesNotContain(Canary, error.ToString());
    }

    [Theory]
    [InlineData("swap values")]
    [InlineData("rename")]
    [InlineData("kind")]
    [InlineData("user name")]
    [InlineData("url")]
    public void A_value_moved_to_another_entry_or_an_entry_changed_in_the_file_does_not_decrypt(string change)
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.Credential("a-erp", "etl", "password-a"), false);
        store.Save(NewSecret.ApiKey("b-datasnap", "key-b", new Uri("https://api.example/v1")), false);
        Edit(folders.User, json =>
        {
            var a = json["secrets"]![0]!;
            var b = json["secrets"]![1]!;
            switch (change)
            {
                case "swap values":
                    (a["value"], b["value"]) = ((string)b["value"]!, (string)a["value"]!);
                    break;
                case "rename": a["name"] = "a-renamed"; break;
                case "kind": a["kind"] = "ApiKey"; break;
                case "user name": a["userName"] = "admin"; break;
                case "url": b["apiUrl"] = "https://evil.example/v1"; break;
            }
        });
        var name = change == "url" ? "b-datasnap" : change == "rename" ? "a-renamed" : "a-erp";
        Assert.Equal(SyncErrorKind.SecretUnreadable, Assert.Throws<SyncException>(() => store.Read(name)).Kind);
    }

    [Fact]
    public void A_store_protected_another_way_is_refused_not_misread()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("datasnap", Canary), false);
        Edit(folders.User, json => json["protection"] = "rot13");
        var error = Assert.Throws<SyncException>(() => store.Read("datasnap"));
        Assert.Equal(SyncErrorKind.SecretUnreadable, error.Kind);
        Assert.Contains("rot13", error.Message);
    }

    [Fact]
    public void A_damaged_store_file_is_SecretUnreadable()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("datasnap", Canary), false);
        File.WriteAllText(folders.User.StoreFile, "{ not json");
        Assert.Equal(SyncErrorKind.SecretUnreadable, Assert.Throws<SyncException>(() => store.List()).Kind);
    }

    [Fact]
    public void A_write_that_fails_before_the_rename_leaves_the_old_store_whole_and_no_temporary_file()
    {
        using var folders = new SecretFolders();
        var store = folders.Store(SecretScope.User);
        store.Save(NewSecret.ApiKey("first", "1"), false);
        var before = File.ReadAllBytes(folders.User.StoreFile);
        string? temp = null;
        store.BeforeReplace = path =>
        {
            temp = path;
            Assert.True(File.Exists(path));
            throw new IOException("disk unplugged");
        };

        var error = Assert.Throws<SyncException>(() => store.Save(NewSecret.ApiKey("second", "2"), false));
        Assert.Equal(SyncErrorKind.SecretStoreFailed, error.Kind);
        Assert.Equal(before, File.ReadAllBytes(folders.User.StoreFile));
        Assert.NotNull(temp);
        Assert.False(File.Exists(temp));
        Assert.DoesNotContain(Directory.GetFiles(folders.User.Folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        store.BeforeReplace = null;
        Assert.Equal(["first"], store.List().Select(i => i.Name));
    }

    private static void Edit(SecretLocation location, Action<JsonNode> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(location.StoreFile))!;
        change(json);
        File.WriteAllText(location.StoreFile, json.ToJsonString());
    }
}
