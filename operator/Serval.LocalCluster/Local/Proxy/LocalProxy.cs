using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Yarp.ReverseProxy.Forwarder;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>
/// Local mode's stand-in for kube-proxy and a Gateway: a loopback listener for each top-level InferenceService
/// Service (and each HTTPRoute in gateway mode), forwarding to ready pods as <see cref="RoutingTableBuilder"/> and
/// <see cref="Balancer"/> decide. It watches Services, Pods and HTTPRoutes through the API like any controller.
/// </summary>
/// <remarks>
/// A request is retried on another endpoint only when the connection could not be made, so nothing reached the pod
/// and the body is untouched; any other failure answers 502 or 504 as a gateway does. Bodies stream both ways.
/// </remarks>
public sealed class LocalProxy : IAsyncDisposable
{
    private const string PortsFile = "proxy-ports.json";

    private readonly LocalProxyOptions _options;
    private readonly ILogger _logger;
    private readonly ProxyPorts _ports;
    private readonly Informer<V1Service> _services;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<GatewayHttpRoute>? _routes;
    private readonly ServiceProvider _forwarderServices;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly Dictionary<RouteKey, ProxyListener> _listeners = [];
    private readonly Dictionary<RouteKey, Balancer> _balancers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private IReadOnlyDictionary<RouteKey, ProxyRoute> _table = new Dictionary<RouteKey, ProxyRoute>();
    private int _started;
    private int _disposed;

    public LocalProxy(IKubernetesApi api, LocalProxyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        _options = options ?? new LocalProxyOptions();
        _options.Validate();
        var loggerFactory = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<LocalProxy>();
        _ports = new ProxyPorts(_options.StateDirectory is { } dir ? Path.Combine(dir, PortsFile) : null);
        var informerOptions = new InformerOptions { LabelSelector = ServalRouting.InferenceServiceLabel };
        _services = new Informer<V1Service>(api, informerOptions, logger: loggerFactory.CreateLogger<Informer<V1Service>>());
        _pods = new Informer<V1Pod>(api, informerOptions, logger: loggerFactory.CreateLogger<Informer<V1Pod>>());
        _services.AddHandler(new InformerSignal<V1Service>(Signal));
        _pods.AddHandler(new InformerSignal<V1Pod>(Signal));
        if (_options.HttpRoutes)
        {
            _routes = new Informer<GatewayHttpRoute>(api, informerOptions, logger: loggerFactory.CreateLogger<Informer<GatewayHttpRoute>>());
            _routes.AddHandler(new InformerSignal<GatewayHttpRoute>(Signal));
        }

        _forwarderServices = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        _forwarder = _forwarderServices.GetRequiredService<IHttpForwarder>();
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ActivityHeadersPropagator = null,
        });
    }

    /// <summary>The routes now in force, by listener.</summary>
    public IReadOnlyDictionary<RouteKey, ProxyRoute> Routes => Volatile.Read(ref _table);

    /// <summary>The ports listened on now, by listener.</summary>
    public IReadOnlyDictionary<RouteKey, int> Listeners
    {
        get
        {
            lock (_listeners)
            {
                return _listeners.ToDictionary(l => l.Key, l => l.Value.Port);
            }
        }
    }

    /// <summary>
    /// The URL the Service or HTTPRoute <paramref name="ns"/>/<paramref name="name"/> is (or will be) served at. The
    /// port is reserved at once, so the URL is right even before the object exists, and stays across restarts.
    /// </summary>
    public Uri UrlOf(string ns, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new Uri($"http://127.0.0.1:{_ports.PortOf(new RouteKey(ns, name))}");
    }

    /// <summary>Starts watching and returns once the caches have synced and the first listeners are up.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The local proxy is already running.");
        }

        IInformer[] informers = _routes is null ? [_services, _pods] : [_services, _pods, _routes];
        foreach (var informer in informers)
        {
            _loops.Add(Task.Run(() => informer.RunAsync(_stop.Token), CancellationToken.None));
        }

        foreach (var informer in informers)
        {
            await informer.WaitForSyncAsync(ct).ConfigureAwait(false);
        }

        await UpdateAsync(ct).ConfigureAwait(false);
        _loops.Add(Task.Run(() => UpdateLoopAsync(_stop.Token), CancellationToken.None));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        List<ProxyListener> listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners.Values];
            _listeners.Clear();
        }

        foreach (var listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        await _forwarderServices.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _changed.Dispose();
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rebuild is already due; it will see this change too.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    private async Task UpdateLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(ct).ConfigureAwait(false);
                await UpdateAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or SocketException)
            {
                LocalProxyLog.UpdateFailed(_logger, e);
                Signal();
            }
        }
    }

    private async Task UpdateAsync(CancellationToken ct)
    {
        var table = RoutingTableBuilder.Build(_services.List(), _pods.List(), _routes?.List() ?? []);
        Volatile.Write(ref _table, table);
        List<(RouteKey Key, ProxyListener Listener)> gone;
        List<RouteKey> added;
        lock (_listeners)
        {
            gone = [.. _listeners.Where(l => !table.ContainsKey(l.Key)).Select(l => (l.Key, l.Value))];
            foreach (var (key, _) in gone)
            {
                _listeners.Remove(key);
            }

            added = [.. table.Keys.Where(k => !_listeners.ContainsKey(k))];
        }

        foreach (var (key, listener) in gone)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
            LocalProxyLog.Stopped(_logger, key);
        }

        foreach (var key in added)
        {
            var listener = await ListenAsync(key, ct).ConfigureAwait(false);
            lock (_listeners)
            {
                _listeners[key] = listener;
            }

            LocalProxyLog.Listening(_logger, table[key].Source, key, listener.Port);
        }
    }

    private async Task<ProxyListener> ListenAsync(RouteKey key, CancellationToken ct)
    {
        var port = _ports.PortOf(key);
        try
        {
            return await ProxyListener.StartAsync(port, context => ForwardAsync(key, context), ct).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            var fresh = _ports.Reassign(key, port);
            LocalProxyLog.PortTaken(_logger, key, port, fresh);
            return await ProxyListener.StartAsync(fresh, context => ForwardAsync(key, context), ct).ConfigureAwait(false);
        }
    }

    private async Task ForwardAsync(RouteKey key, HttpContext context)
    {
        if (!Routes.TryGetValue(key, out var route))
        {
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"{key} is not routed any more").ConfigureAwait(false);
            return;
        }

        Balancer balancer;
        lock (_balancers)
        {
            if (!_balancers.TryGetValue(key, out balancer!))
            {
                balancer = new Balancer();
                _balancers[key] = balancer;
            }
        }

        var headers = context.Request.Headers;
        var candidates = balancer.Choose(route, name => headers.TryGetValue(name, out var v) ? v.ToString() : null, context.Request.Path.Value ?? "/");
        if (candidates.Count == 0)
        {
            var pin = headers.TryGetValue(ServalRouting.RevisionHeader, out var p) ? $" ({ServalRouting.RevisionHeader}: {p})" : string.Empty;
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"{route.Source} {key} has no ready endpoint{pin}").ConfigureAwait(false);
            return;
        }

        var config = new ForwarderRequestConfig { ActivityTimeout = _options.ActivityTimeout };
        var attempts = Math.Min(_options.MaxAttempts, candidates.Count);
        for (var attempt = 0; ; attempt++)
        {
            var endpoint = candidates[attempt];
            var error = await _forwarder.SendAsync(context, endpoint.Address, _client, config, HttpTransformer.Empty).ConfigureAwait(false);
            if (error == ForwarderError.None)
            {
                return;
            }

            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (error == ForwarderError.Request && IsConnectFailure(failure) && !context.Response.HasStarted && attempt + 1 < attempts)
            {
                // Nothing reached the pod, so sending again elsewhere cannot run the request twice.
                LocalProxyLog.ConnectFailed(_logger, endpoint.Pod, endpoint.Address, failure!);
                context.Response.Clear();
                context.Features.Set<IForwarderErrorFeature>(null);
                continue;
            }

            LocalProxyLog.ForwardFailed(_logger, endpoint.Pod, endpoint.Address, error.ToString(), failure);
            if (!context.Response.HasStarted)
            {
                var status = context.Response.StatusCode is >= 400 ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
                await ErrorAsync(context, status, $"forwarding to pod {endpoint.Pod} failed: {error}").ConfigureAwait(false);
            }

            return;
        }
    }

    private static bool IsConnectFailure(Exception? e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        HttpRequestException { InnerException: SocketException } => true,
        _ => false,
    };

    private static async Task ErrorAsync(HttpContext context, int status, string message)
    {
        Debug.Assert(!context.Response.HasStarted, "errors are written only before the response starts");
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message })).ConfigureAwait(false);
    }
}
