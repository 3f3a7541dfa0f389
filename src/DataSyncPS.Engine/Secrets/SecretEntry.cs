using System.Text;

namespace DataSyncPS.Engine.Secrets;

/// <summary>One secret as stored: what it is in the clear (name, kind, user name, API URL, times) and its
/// value encrypted, base64.</summary>
internal sealed class SecretEntry
{
    public required string Name { get; set; }
    public required SecretKind Kind { get; set; }
    public string? UserName { get; set; }
    public string? ApiUrl { get; set; }
    public required DateTimeOffset Created { get; set; }
    public required DateTimeOffset Updated { get; set; }
    public required string Value { get; set; }

    /// <summary>What the value is bound to: moving it to another entry, or changing this entry's kind,
    /// user name or URL in the file, makes it fail to decrypt instead of being misused.</summary>
    public byte[] AssociatedData() =>
        Encoding.UTF8.GetBytes(string.Join('\0', "DataSyncPS secret 1", Kind.ToString(), Name, UserName ?? "", ApiUrl ?? ""));

    public SyncSecretInfo ToInfo(SecretLocation location, string protection) => new()
    {
        Name = Name,
        Kind = Kind,
        Scope = location.Scope,
        UserName = UserName,
        ApiUrl = ApiUrl is null ? null : new Uri(ApiUrl),
        Created = Created,
        Updated = Updated,
        Protection = protection,
        Path = location.StoreFile,
    };
}
