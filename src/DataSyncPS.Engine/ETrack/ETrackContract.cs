using System.Globalization;

namespace DataSyncPS.Engine.ETrack;

/// <summary>
/// The e-Track (e-Trac) tracking API as this module speaks it, in one place. Its documentation was not
/// available when this was written: the base URL is the seed's ETRAC_API_BASE, and the paths and shapes
/// below are this module's choice, spoken exactly by the test emulator
/// (tests/DataSyncPS.Emulators/ETrack). Where the real API differs, change it here and there.
/// <code>
/// Every call: Authorization: Basic base64(user:apiKey)      401 {"retorno": "ERRO", "mensagem": "..."}
/// GET {api}/veiculos
///   200 {"retorno": "OK", "veiculos": [{"placa": "ABC1D23", "descricao": "...", "id": 12}]}
/// GET {api}/ultimas-posicoes
///   200 {"retorno": "OK", "posicoes": [position, ...]}       the latest position of every vehicle
/// GET {api}/posicoes?placa=ABC1D23&amp;inicio=2025-03-14T00:00:00-03:00&amp;fim=2025-03-15T00:00:00-03:00
///   200 {"retorno": "OK", "posicoes": [position, ...]}       inicio &lt;= data_transmissao &lt; fim, in time order
///   400 {"retorno": "ERRO", "mensagem": "..."} when fim - inicio is more than <see cref="MaxWindow"/>
/// position: {"placa", "data_transmissao" (ISO 8601 with offset), "latitude", "longitude" (numbers),
///   "velocidade" (km/h), "ignicao" (bool), "odometro" (km), "endereco" (text), "motorista" ({"id", "nome"} or null)}
/// Any call may answer 429 with Retry-After, 5xx, or time out.
/// </code>
/// A position's natural key is (placa, data_transmissao).
/// </summary>
public static class ETrackContract
{
    public static readonly Uri DefaultApiUrl = new("https://api.etrac.com.br/monitoramento/");

    /// <summary>The longest inicio..fim the history call accepts; longer ranges are split.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);

    public const string VehiclesPath = "veiculos";
    public const string LatestPath = "ultimas-posicoes";

    public static string HistoryPath(string plate, DateTimeOffset from, DateTimeOffset to) =>
        $"posicoes?placa={Uri.EscapeDataString(plate)}&inicio={Uri.EscapeDataString(Iso(from))}&fim={Uri.EscapeDataString(Iso(to))}";

    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>[from, to) cut into windows of at most <paramref name="window"/>.</summary>
    public static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Windows(DateTimeOffset from, DateTimeOffset to, TimeSpan window)
    {
        for (var start = from; start < to; start += window)
            yield return (start, start + window < to ? start + window : to);
    }
}
