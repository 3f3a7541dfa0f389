namespace DataSyncPS;

/// <summary>One step of Test-SyncStorage's round trip (Put, Get, Delete) and how it went.</summary>
public sealed record StorageTestStep(string Destination, string Step, bool Succeeded, TimeSpan Duration, string Message, string ObjectUri, SyncErrorKind? ErrorKind);
