using System.Data.Common;
using System.Text.Json;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Export;

/// <summary>Rows through the provider's data reader, values bound as parameters: every engine.</summary>
internal sealed class DataReaderRows : IExportRows
{
    private readonly DbCommand _command;
    private readonly CancellationTokenRegistration _cancel;
    private readonly DbDataReader _reader;
    private readonly RowJsonWriter _writer;

    public DataReaderRows(DbConnection connection, SqlExportPlan plan, ExportStatement statement, TimeZoneInfo zone, ISyncObserver observer, CancellationToken ct)
    {
        _command = connection.CreateCommand();
        _command.CommandText = statement.Sql(plan.Dialect.ParameterName);
        for (var i = 0; i < statement.Values.Count; i++) plan.Dialect.AddParameter(_command, i, statement.Values[i]);
        observer.Verbose($"SQL: {_command.CommandText}" + (statement.Values.Count == 0 ? "" : $"  -- ({string.Join(", ", statement.Values.Select(State.Watermark.Display))})"));
        _cancel = ct.Register(() => { try { _command.Cancel(); } catch (Exception) { /* the read loop sees the cancellation anyway */ } });
        _reader = _command.ExecuteReader();
        _writer = new RowJsonWriter(_reader, plan.Dialect, zone, plan.CatalogTypes);
    }

    public bool Read() => _reader.Read();

    public void WriteRow(Utf8JsonWriter writer) => _writer.Write(_reader, writer);

    public int GetOrdinal(string column) => _reader.GetOrdinal(column);

    public object GetValue(int ordinal) => _reader.GetValue(ordinal);

    public void Dispose()
    {
        _reader.Dispose();
        _cancel.Dispose();
        _command.Dispose();
    }
}
