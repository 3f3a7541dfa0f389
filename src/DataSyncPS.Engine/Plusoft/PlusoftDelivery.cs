namespace DataSyncPS.Engine.Plusoft;

/// <summary>What the API answered a batch: delivered (its batch id, "lote"), or rejected with its
/// message and the records it named.</summary>
public sealed record PlusoftDelivery(bool Delivered, int Status, int Attempts, string? BatchId, string? Message,
    IReadOnlyList<PlusoftContract.RecordError> RecordErrors);
