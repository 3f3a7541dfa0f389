namespace DataSyncPS.Engine.Backup;

/// <summary>A running tool and what must go when it ends (the option file holding its login).</summary>
internal sealed class ToolRun(ToolProcess process, IDisposable? cleanup) : IDisposable
{
    public ToolProcess Process { get; } = process;

    public void Dispose()
    {
        Process.Dispose();
        cleanup?.Dispose();
    }
}
