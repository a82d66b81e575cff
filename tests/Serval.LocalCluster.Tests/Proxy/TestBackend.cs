using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Tests.Proxy;

/// <summary>A stand-in pod: answers GET with its name and echoes POST bodies, on a free loopback port.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public int Port { get; private set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<TestBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var backend = new TestBackend(app, name);
        app.Run(async context =>
        {
            Interlocked.Increment(ref backend._requests);
            context.Response.Headers["x-backend"] = name;
            if (HttpMethods.IsPost(context.Request.Method))
            {
                await context.Request.Body.CopyToAsync(context.Response.Body);
                return;
            }

            await context.Response.WriteAsync(name);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
