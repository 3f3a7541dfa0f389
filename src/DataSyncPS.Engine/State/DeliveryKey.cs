namespace DataSyncPS.Engine.State;

/// <summary>The one idempotency key formula (DESIGN contract 4): the batch's SHA-256 and its sequence.
/// A retried or repeated delivery of the same batch repeats it, so the receiver counts it once.</summary>
public static class DeliveryKey
{
    public static string For(string sha256, long sequence) => $"{sha256}-{sequence}";
}
