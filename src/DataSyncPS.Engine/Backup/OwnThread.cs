namespace DataSyncPS.Engine.Backup;

/// <summary>Runs blocking work — a tool's pipe read, gzip blocks written into a store's upload — on a
/// thread of its own and lets the caller await it. On a pool thread the same work would sit on a thread
/// that the store's own async calls need (two cores give the pool two threads to start with).</summary>
internal static class OwnThread
{
    public static Task RunAsync(string name, Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = name }.Start();
        return done.Task;
    }
}
