using System.Data.Common;
using DataSyncPS.Engine.Export;
using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.State;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// -Preview: the records an entity's view maps to, as they would be sent, without sending anything or
/// touching the state store (what the seed's paginated GET routes, pular and limite, were for). Rows
/// come in keyset order from the start of the view; each record goes to <c>record</c> as it is read.
/// </summary>
public static class PlusoftPreview
{
    /// <param name="record">Each record, with its row's key and the problem the mapping had with it (or null).</param>
    public static Task<long> ReadAsync(PlusoftEntityPlan plan, SyncSource source, int skip, int first,
        Action<Dictionary<string, object?>, string, string?> record, ISyncObserver observer, CancellationToken ct)
    {
        if (skip < 0 || first < 1)
            throw new SyncException(SyncErrorKind.InvalidArgument, "-Skip must be 0 or more and -First 1 or more.");
        return Task.Factory.StartNew(() =>
        {
            using var connection = SourceConnector.OpenAsync(source, ct).GetAwaiter().GetResult();
            long count = 0;
            try
            {
                foreach (var (values, key, problem) in new PlusoftPageReader(connection, plan, source.TimeZone, observer.Verbose, ct).Preview(skip, first))
                {
                    record(values, new Watermark(key).ToString(), problem);
                    count++;
                }
            }
            catch (DbException ex) when (!ct.IsCancellationRequested)
            {
                throw new SyncException(SyncErrorKind.QueryFailed,
                    $"Reading '{plan.Mapping.Source}' ({plan.Entity.Name}) from {source.Provider} {source.Location} failed: {ex.Message}", ex, plan.Mapping.Source);
            }
            return count;
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
