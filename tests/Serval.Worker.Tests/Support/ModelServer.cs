using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serval.Worker.Tests.Support;

/// <summary>A tiny loopback HTTP server holding model files, optionally holding each answer until released.</summary>
internal sealed class ModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ModelServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ModelServer> StartAsync(IReadOnlyDictionary<string, byte[]> files, bool hold = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ModelServer? server = null;
        app.MapGet("/{**path}", async (HttpContext context) =>
        {
            var path = (string)context.Request.RouteValues["path"]!;
            if (hold)
            {
                await server!.Release.Task;
            }

            if (!files.TryGetValue(path, out var bytes))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ModelServer(app, new Uri(address + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Release.TrySetResult();
        await _app.DisposeAsync();
    }
}
