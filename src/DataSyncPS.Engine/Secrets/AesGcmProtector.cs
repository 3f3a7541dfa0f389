using System.Security.Cryptography;

namespace DataSyncPS.Engine.Secrets;

/// <summary>AES-256-GCM with the store's key file. A value is nonce (12 bytes, random per value),
/// ciphertext, tag (16 bytes).</summary>
internal sealed class AesGcmProtector : ISecretProtector
{
    public const string MethodName = "aes-256-gcm";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly SecretKeyFile _keyFile;

    public AesGcmProtector(SecretKeyFile keyFile) => _keyFile = keyFile;

    public string Method => MethodName;

    public void Prepare(bool storeHasSecrets)
    {
        // Load checks the existing key file (mode, owner, size) and fails when it is missing.
        var key = storeHasSecrets ? _keyFile.Load() : _keyFile.LoadOrCreate();
        CryptographicOperations.ZeroMemory(key);
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var key = _keyFile.Load();
        try
        {
            var output = new byte[NonceSize + plaintext.Length + TagSize];
            var nonce = output.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), associatedData);
            return output;
        }
        finally { CryptographicOperations.ZeroMemory(key); }
    }

    public byte[] Unprotect(ReadOnlySpan<byte> protectedValue, ReadOnlySpan<byte> associatedData, string name)
    {
        if (protectedValue.Length < NonceSize + TagSize)
            throw new SyncException(SyncErrorKind.SecretUnreadable, $"The saved secret '{name}' is damaged (too short) in '{_keyFile.StoreFile}'.", target: name);
        var key = _keyFile.Load();
        try
        {
            var length = protectedValue.Length - NonceSize - TagSize;
            var plaintext = new byte[length];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(protectedValue[..NonceSize], protectedValue.Slice(NonceSize, length), protectedValue[(NonceSize + length)..], plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SyncException(SyncErrorKind.SecretUnreadable,
                $"The saved secret '{name}' in '{_keyFile.StoreFile}' does not decrypt with the key file '{_keyFile.Path}': the file was changed, " +
                "the entry was moved or renamed, or the key file is not the one it was saved with. Save the secret again.", ex, name);
        }
        finally { CryptographicOperations.ZeroMemory(key); }
    }
}
