using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>Who an entity's sync is in the state store: the source (its canonical identity) and the
/// destination, the API's address and the entity. Two Plusoft environments fed from one Consinco
/// keep two watermarks. Get-SyncState shows it as plusoft-vendas (Reset-SyncState plusoft-vendas).</summary>
public static class PlusoftStream
{
    public static StreamKey Key(SyncSource source, Uri apiUrl, PlusoftEntity entity) =>
        new(source.Identity, "plusoft:" + apiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/').ToLowerInvariant() + "/" + entity.Path);

    public static string DisplayName(PlusoftEntity entity) => "plusoft-" + entity.Path;
}
