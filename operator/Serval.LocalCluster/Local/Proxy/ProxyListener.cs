using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>One loopback Kestrel listener that hands every request to the proxy; a listener per Service keeps URLs plain.</summary>
internal sealed class ProxyListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProxyListener(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/>; throws IOException when the port is taken.</summary>
    public static async Task<ProxyListener> StartAsync(int port, RequestDelegate handler, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;

            // The worker judges its own request sizes; the proxy passes bodies through as they stream.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ProxyListener(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
