namespace DataSyncPS.Engine.Secrets;

/// <summary>Encrypts one secret value, bound to associated data (its name and kind) so that a value moved
/// to another entry no longer decrypts. DPAPI on Windows, AES-GCM with a key file elsewhere.</summary>
internal interface ISecretProtector
{
    /// <summary>Written into the store file, so a store protected another way is recognised, not misread.</summary>
    string Method { get; }

    /// <summary>Called before the first value of a save: AES makes its key file here, but only for a
    /// store with no secrets yet (a new key would make the old ones unreadable).</summary>
    void Prepare(bool storeHasSecrets) { }

    byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData);

    /// <summary>The plaintext, or a <see cref="SyncException"/> of kind SecretUnreadable.</summary>
    byte[] Unprotect(ReadOnlySpan<byte> protectedValue, ReadOnlySpan<byte> associatedData, string name);
}
