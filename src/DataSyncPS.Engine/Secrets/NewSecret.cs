namespace DataSyncPS.Engine.Secrets;

/// <summary>A secret to save: an API key (with the URL of its API when known) or a user name and password.</summary>
public sealed class NewSecret
{
    private NewSecret(string name, SecretKind kind, string value, string? userName, Uri? apiUrl)
    {
        Name = name;
        Kind = kind;
        Value = value;
        UserName = userName;
        ApiUrl = apiUrl;
    }

    public string Name { get; }
    public SecretKind Kind { get; }
    public string? UserName { get; }
    public Uri? ApiUrl { get; }
    internal string Value { get; }

    public static NewSecret ApiKey(string name, string key, Uri? apiUrl = null) => new(name, SecretKind.ApiKey, key, null, apiUrl);

    public static NewSecret Credential(string name, string userName, string password) => new(name, SecretKind.Credential, password, userName, null);
}
