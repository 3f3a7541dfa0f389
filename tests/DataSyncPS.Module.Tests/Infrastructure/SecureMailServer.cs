using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>An smtp4dev that demands TLS and a login (.ci/servers.sh runs one for STARTTLS, one for
/// implicit TLS, sharing a self-signed certificate), and the mails it caught, read from its API.</summary>
public sealed class SecureMailServer(int smtpPort, string api)
{
    public static SecureMailServer StartTls { get; } = new(TestEnvironment.SmtpStartTlsPort, TestEnvironment.SmtpStartTlsApi);

    public static SecureMailServer ImplicitTls { get; } = new(TestEnvironment.SmtpImplicitTlsPort, TestEnvironment.SmtpImplicitTlsApi);

    public int Port { get; } = smtpPort;

    /// <summary>The SHA-256 thumbprint of the servers' certificate, as an admin reads it (openssl x509 -fingerprint -sha256).</summary>
    public static string Thumbprint =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(TestEnvironment.SmtpTlsCertificate)).RawData)).Chunk(2).Select(c => new string(c)));

    public void Require()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            http.GetStringAsync(api.TrimEnd('/') + "/api/messages").GetAwaiter().GetResult();
            if (!File.Exists(TestEnvironment.SmtpTlsCertificate)) throw new FileNotFoundException(TestEnvironment.SmtpTlsCertificate);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FileNotFoundException)
        {
            TestEnvironment.ServerMissing($"smtp4dev ({api})", ex.Message);
        }
    }

    /// <summary>Mails whose subject contains <paramref name="marker"/>: subject, plain text, recipients.</summary>
    public List<(string Subject, string Text, string[] To)> Find(string marker)
    {
        using var http = new HttpClient();
        var page = http.GetFromJsonAsync<JsonElement>(api.TrimEnd('/') + "/api/messages?pageSize=500").GetAwaiter().GetResult();
        return page.GetProperty("results").EnumerateArray()
            .Where(m => m.GetProperty("subject").GetString()?.Contains(marker, StringComparison.Ordinal) == true)
            .Select(m => (m.GetProperty("subject").GetString()!,
                http.GetStringAsync($"{api.TrimEnd('/')}/api/messages/{m.GetProperty("id").GetString()}/plaintext").GetAwaiter().GetResult(),
                m.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToArray()))
            .ToList();
    }
}
