namespace DataSyncPS.Engine.Storage;

/// <summary>An object (or file) in a backup destination.</summary>
public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Metadata);
