namespace DataSyncPS.Engine.Storage;

/// <summary>An access key and its secret for an S3-compatible store; null in <see cref="StorageOptions"/>
/// means the AWS SDK's usual chain (environment, profile, instance role).</summary>
public sealed record StorageCredential(string AccessKeyId, string SecretAccessKey)
{
    // The secret never reaches a message or a log.
    public override string ToString() => $"access key {AccessKeyId}";
}
