namespace DataSyncPS.Engine.State;

/// <summary>
/// Who a stream is in a state store: the source's canonical identity (provider, server:port, database
/// or file) and the stream's canonical name (the schema-qualified table as the catalog names it, or
/// the -Stream given). Stored as <see cref="Text"/>; the parts are kept in their own columns, so the
/// text is never parsed back.
/// </summary>
public sealed record StreamKey(string Source, string Stream)
{
    public string Text => Source + "|" + Stream;

    public override string ToString() => Text;
}
