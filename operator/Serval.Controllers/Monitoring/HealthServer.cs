using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Serval.Controllers.Monitoring;

/// <summary>
/// Serves <c>/healthz</c> (the process works), <c>/readyz</c> (caches synced and the election
/// running) and <c>/metrics</c> (Prometheus text) on one port.
/// </summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address the server listens on, with the port actually bound.</summary>
    public Uri Address { get; }

    /// <param name="bindAddress">An IP address such as 0.0.0.0 or 127.0.0.1.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="live">Null when live, otherwise why not.</param>
    /// <param name="ready">Null when ready, otherwise why not.</param>
    /// <param name="registry">The metrics to serve.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<HealthServer> StartAsync(
        string bindAddress,
        int port,
        Func<string?> live,
        Func<string?> ready,
        CollectorRegistry registry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(ready);
        ArgumentNullException.ThrowIfNull(registry);
        if (!IPAddress.TryParse(bindAddress, out var address))
        {
            throw new ArgumentException($"Health bind address must be an IP address, got '{bindAddress}'.", nameof(bindAddress));
        }

        // The empty builder: Kestrel and routing only. The slim one also reads appsettings files and the environment
        // and watches the content root for changes, none of which three fixed endpoints use.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        app.MapGet("/healthz", context => Probe(context, live()));
        app.MapGet("/readyz", context => Probe(context, ready()));
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The health server started without an address.");
        var uri = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        return new HealthServer(app, uri);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task Probe(HttpContext context, string? problem)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync(problem ?? "ok", context.RequestAborted);
    }
}
