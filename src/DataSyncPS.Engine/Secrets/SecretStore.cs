using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DataSyncPS.Engine.Secrets;

/// <summary>
/// Saved secrets of one scope, by name (case-insensitive): save, read back, list without values, remove.
/// The store file holds names, kinds, user names and API URLs in the clear and every value encrypted
/// (<see cref="ISecretProtector"/>); it never holds a plaintext secret.
/// </summary>
public sealed partial class SecretStore
{
    private readonly ISecretProtector _protector;

    public SecretStore(SecretLocation location) : this(location, DefaultProtector(location)) { }

    internal SecretStore(SecretLocation location, ISecretProtector protector)
    {
        Location = location;
        _protector = protector;
    }

    public static SecretStore Open(SecretScope scope) => new(SecretLocation.For(scope));

    public SecretLocation Location { get; }

    /// <summary>Test hook: runs with the temporary file's path just before it replaces the store.</summary>
    internal Action<string>? BeforeReplace { get; set; }

    /// <summary>Every secret of the scope, by name, without values; empty when there is no store yet.</summary>
    public IReadOnlyList<SyncSecretInfo> List()
    {
        var document = SecretDocument.Load(Location);
        return document is null ? [] : document.Secrets.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Select(e => e.ToInfo(Location, document.Protection)).ToList();
    }

    public SyncSecretInfo? Find(string name)
    {
        var document = SecretDocument.Load(Location);
        return document?.Find(name)?.ToInfo(Location, document.Protection);
    }

    /// <summary>Encrypts and saves a secret; an existing one of the same name is replaced only when
    /// <paramref name="overwrite"/>. <paramref name="readers"/> (machine scope) names who may read the store.</summary>
    public SyncSecretInfo Save(NewSecret secret, bool overwrite, IReadOnlyList<string>? readers = null)
    {
        CheckName(secret.Name);
        if (secret.Kind == SecretKind.Credential && string.IsNullOrEmpty(secret.UserName))
            throw new SyncException(SyncErrorKind.InvalidArgument, $"The credential '{secret.Name}' has no user name.", target: secret.Name);
        if (readers is { Count: > 0 } && Location.Scope != SecretScope.Machine)
            throw new SyncException(SyncErrorKind.InvalidArgument, "Readers can be named for the Machine scope only: a user's secrets are that user's alone.");

        SecretFolder.Ensure(Location);
        if (readers is { Count: > 0 }) SecretFolder.SetReaders(Location, readers);
        using var writeLock = SecretStoreLock.Acquire(Location);
        var document = SecretDocument.Load(Location) ?? new SecretDocument { Protection = _protector.Method };
        CheckProtection(document);
        var existing = document.Find(secret.Name);
        if (existing is not null && !overwrite)
            throw new SyncException(SyncErrorKind.SecretExists,
                $"A secret named '{existing.Name}' is already saved in the {Location.Scope} store; use -Force to replace it.", target: secret.Name);

        _protector.Prepare(storeHasSecrets: document.Secrets.Count > 0);
        var now = DateTimeOffset.Now;
        var entry = new SecretEntry
        {
            Name = secret.Name,
            Kind = secret.Kind,
            UserName = secret.UserName,
            ApiUrl = secret.ApiUrl?.OriginalString,
            Created = existing?.Created ?? now,
            Updated = now,
            Value = "",
        };
        var plaintext = Encoding.UTF8.GetBytes(secret.Value);
        try { entry.Value = Convert.ToBase64String(_protector.Protect(plaintext, entry.AssociatedData())); }
        finally { CryptographicOperations.ZeroMemory(plaintext); }

        if (existing is not null) document.Secrets.Remove(existing);
        document.Secrets.Add(entry);
        document.Secrets.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        document.Save(Location, BeforeReplace);
        return entry.ToInfo(Location, document.Protection);
    }

    /// <summary>The decrypted secret; SecretNotFound when there is none by that name.</summary>
    public SecretValue Read(string name)
    {
        var document = SecretDocument.Load(Location);
        var entry = document?.Find(name)
            ?? throw new SyncException(SyncErrorKind.SecretNotFound, $"No secret named '{name}' is saved in the {Location.Scope} store ('{Location.StoreFile}').", target: name);
        CheckProtection(document!);
        byte[] protectedValue;
        try { protectedValue = Convert.FromBase64String(entry.Value); }
        catch (FormatException ex)
        {
            throw new SyncException(SyncErrorKind.SecretUnreadable, $"The saved secret '{entry.Name}' in '{Location.StoreFile}' is damaged (not base64).", ex, name);
        }
        var plaintext = _protector.Unprotect(protectedValue, entry.AssociatedData(), entry.Name);
        try
        {
            return new SecretValue(entry.ToInfo(Location, document!.Protection), Encoding.UTF8.GetChars(plaintext));
        }
        catch (DecoderFallbackException ex)
        {
            throw new SyncException(SyncErrorKind.SecretUnreadable, $"The saved secret '{entry.Name}' is damaged (not UTF-8).", ex, name);
        }
        finally { CryptographicOperations.ZeroMemory(plaintext); }
    }

    /// <summary>Removes a secret; the removed secret's description, or null when there was none.</summary>
    public SyncSecretInfo? Remove(string name)
    {
        if (!File.Exists(Location.StoreFile)) return null;
        using var writeLock = SecretStoreLock.Acquire(Location);
        var document = SecretDocument.Load(Location);
        var entry = document?.Find(name);
        if (entry is null) return null;
        document!.Secrets.Remove(entry);
        document.Save(Location, BeforeReplace);
        return entry.ToInfo(Location, document.Protection);
    }

    /// <summary>A saved secret by name from the user's store, else the machine's; null when neither has it.
    /// A machine store this account may not read counts as not having it, and <paramref name="skipped"/> says why.</summary>
    public static SecretValue? ReadSaved(string name, out string? skipped)
    {
        skipped = null;
        var user = Open(SecretScope.User);
        if (user.Find(name) is not null) return user.Read(name);
        var machine = Open(SecretScope.Machine);
        try
        {
            if (machine.Find(name) is null) return null;
        }
        catch (SyncException ex) when (ex.Kind == SyncErrorKind.SecretStoreFailed)
        {
            skipped = ex.Message;
            return null;
        }
        return machine.Read(name);
    }

    public static void CheckName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new SyncException(SyncErrorKind.InvalidArgument,
                $"'{name}' is not a valid secret name: use letters, digits, '.', '_', '-' and '@', starting with a letter or digit, at most 128 characters.", target: name);
    }

    private void CheckProtection(SecretDocument document)
    {
        if (document.Protection != _protector.Method)
            throw new SyncException(SyncErrorKind.SecretUnreadable,
                $"The secret store '{Location.StoreFile}' was protected with {document.Protection}, and this system protects secrets with {_protector.Method}: " +
                "a store cannot move between Windows and other systems. Save the secrets again here.", target: Location.StoreFile);
    }

    private static ISecretProtector DefaultProtector(SecretLocation location) =>
        OperatingSystem.IsWindows() ? new DpapiProtector(location.Scope) : new AesGcmProtector(new SecretKeyFile(location));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")]
    private static partial Regex NamePattern();
}
