using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataSyncPS.Emulators;

/// <summary>
/// A bare Kestrel app for an emulator: one address (port 0 = a free one), no body size limit, no
/// framework logging (the emulators log their own calls), and no console lifetime, so several can
/// run inside a test process and the standalone program decides itself when to stop.
/// </summary>
internal static class KestrelApp
{
    public static WebApplication Create(string host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KestrelApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            if (IPAddress.TryParse(host, out var address)) kestrel.Listen(address, port);
            else if (host == "localhost") kestrel.ListenLocalhost(port);
            else throw new ArgumentException($"Host '{host}' is neither an IP address nor localhost.");
        });
        return builder.Build();
    }

    /// <summary>The address Kestrel really bound (the port when 0 was asked), without a trailing slash.</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("://[::]", "://localhost", StringComparison.Ordinal));
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
