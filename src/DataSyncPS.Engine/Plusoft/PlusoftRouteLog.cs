using System.Globalization;
using System.Text;
using DataSyncPS.Engine.Logging;

namespace DataSyncPS.Engine.Plusoft;

/// <summary>
/// One log file per entity and run, laid out as the seed's scheduler laid them out and its admins
/// browse them: <c>Logs/&lt;Route&gt;/&lt;Month&gt;/&lt;Day&gt;/&lt;dd_MM_yyyy_HHhmm&gt;_&lt;Route&gt;.log</c>, e.g.
/// <c>Logs/Rota_Vendas/Julho/15/15_07_2024_01h00_Rota_Vendas.log</c> (month in Portuguese, local time of
/// the run's start). Lines are the module's text log lines (<see cref="TextLine"/>), written as they
/// happen, so a run that dies leaves what it did.
/// </summary>
public sealed class PlusoftRouteLog : IDisposable
{
    private static readonly string[] Months =
        ["Janeiro", "Fevereiro", "Março", "Abril", "Maio", "Junho", "Julho", "Agosto", "Setembro", "Outubro", "Novembro", "Dezembro"];

    private readonly StreamWriter _writer;
    private readonly TimeProvider _clock;
    private readonly string _entity;

    private PlusoftRouteLog(string path, StreamWriter writer, TimeProvider clock, string entity)
    {
        Path = path;
        _writer = writer;
        _clock = clock;
        _entity = entity;
    }

    public string Path { get; }

    /// <summary>The seed's route names (Rota_Filial was singular there).</summary>
    public static string Route(PlusoftEntity entity) => entity.Name == PlusoftContract.Filiais.Name ? "Rota_Filial" : "Rota_" + entity.Name;

    public static string PathFor(string root, PlusoftEntity entity, DateTime localStart)
    {
        var route = Route(entity);
        return System.IO.Path.Combine(root, route, Months[localStart.Month - 1], localStart.ToString("dd", CultureInfo.InvariantCulture),
            localStart.ToString("dd_MM_yyyy_HH'h'mm", CultureInfo.InvariantCulture) + "_" + route + ".log");
    }

    public static PlusoftRouteLog Open(string root, PlusoftEntity entity, TimeProvider clock)
    {
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone).DateTime;
        var path = PathFor(root, entity, local);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // Appended: a second run in the same minute adds to the file; shared, so an admin can read it meanwhile.
        var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        return new PlusoftRouteLog(path, new StreamWriter(file, new UTF8Encoding(false)) { AutoFlush = true }, clock, entity.Name);
    }

    public void Write(SyncLogLevel level, string message, IReadOnlyDictionary<string, object?>? properties = null)
    {
        var line = TextLine.Format(new SyncLogEvent
        {
            Timestamp = _clock.GetUtcNow(),
            Level = level,
            Message = message,
            Cmdlet = "Sync-Plusoft",
            Stream = _entity,
            Properties = properties,
        }, _clock.LocalTimeZone);
        lock (_writer) _writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (_writer) _writer.Dispose();
    }
}
