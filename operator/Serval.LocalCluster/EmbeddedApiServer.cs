using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.LocalCluster.Aggregation;
using Serval.LocalCluster.Faults;
using Serval.LocalCluster.GarbageCollection;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Objects;
using Serval.LocalCluster.Persistence;
using Serval.LocalCluster.Requests;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Resources.Strategies;
using Serval.LocalCluster.Server;
using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 that kubectl, helm and KubernetesClient use as they would a real
/// one: discovery, OpenAPI v3, the built-in kinds Serval touches, custom resources served from their CRDs (schema,
/// CEL rules, defaults, pruning, status and scale), watches, patches, server-side apply, finalizers and garbage
/// collection. RBAC objects are stored but not enforced: every request is allowed.
/// </summary>
public sealed class EmbeddedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectService _objects;
    private readonly GarbageCollector _collector;
    private readonly StateDirectory? _state;
    private readonly X509Certificate2? _certificate;
    private ApiServiceProxy? _aggregation;

    private EmbeddedApiServer(WebApplication app, Uri url, ObjectService objects, GarbageCollector collector, StateDirectory? state,
        X509Certificate2? certificate, FaultInjector faults, RequestLog requests)
    {
        _app = app;
        Url = url;
        _objects = objects;
        _collector = collector;
        _state = state;
        _certificate = certificate;
        Faults = faults;
        Requests = requests;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt; (https when TLS is on).</summary>
    public Uri Url { get; }

    public FaultInjector Faults { get; }

    public RequestLog Requests { get; }

    /// <summary>The resource types being served (built-in kinds and those of installed CRDs).</summary>
    public ResourceRegistry Resources => _objects.Registry;

    /// <summary>The latest resourceVersion handed out.</summary>
    public long ResourceVersion => _objects.Store.Clock.Current;

    /// <summary>Whether the garbage collector has handled every change so far (tests poll this instead of sleeping).</summary>
    public bool GarbageCollectorIdle => _collector.Idle;

    public static async Task<EmbeddedApiServer> StartAsync(EmbeddedApiServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<EmbeddedApiServer>();
        var services = new ServiceStrategy();
        var registry = new ResourceRegistry(BuiltInResources.Create(services));
        GarbageCollector? collector = null;
        StateDirectory? state = null;
        var store = new ObjectStore(options.WatchWindow, e =>
        {
            collector!.Notify(e);
            state?.MarkDirty();
        });
        var objects = new ObjectService(registry, store, options.TimeProvider);
        collector = new GarbageCollector(objects, logger);
        if (options.StateDirectory is { } directory)
        {
            state = new StateDirectory(directory, objects, options.PersistInterval, options.TimeProvider, logger);
            state.Load(restored =>
            {
                if (restored.GroupResource == "services" && restored.ToJson().StringAtPath("spec", "clusterIP") is { } ip)
                {
                    services.Reserve(ip);
                }
            });
            collector.Prime();
        }

        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            var namespaces = registry.Find(string.Empty, "v1", "namespaces")!;
            if (objects.TryGet(namespaces, null, name) is null)
            {
                objects.Create(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } },
                    WriteOptions.Internal("serval-local"));
            }
        }

        collector.Start();
        state?.Start();

        var certificate = options.UseTls ? SelfSignedCertificate.Create(options.TimeProvider) : null;
        var faults = new FaultInjector(options.FaultSeed, store.CloseAllWatchers);
        var requests = new RequestLog(options.RequestLogCapacity);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
            });
        });
        var app = builder.Build();
        Uri? url = null;
        var watches = new WatchStreamer(objects, options, options.TimeProvider);
        var aggregation = new ApiServiceProxy(objects, logger);
        var handler = new ApiHandler(objects, watches, faults, requests, options.TimeProvider, logger,
            () => url?.GetLeftPart(UriPartial.Authority).Split("//")[1] ?? "127.0.0.1", aggregation);
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        url = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}");
        return new EmbeddedApiServer(app, url, objects, collector, state, certificate, faults, requests) { _aggregation = aggregation };
    }

    /// <summary>A client configuration for <c>new k8s.Kubernetes(...)</c>.</summary>
    public KubernetesClientConfiguration ClientConfiguration()
    {
        var config = new KubernetesClientConfiguration
        {
            Host = Url.GetLeftPart(UriPartial.Authority),
            AccessToken = Kubeconfig.Token,
            Namespace = "default",
        };
        if (_certificate is not null)
        {
            config.SslCaCerts = [X509CertificateLoader.LoadCertificate(_certificate.RawData)];
        }

        return config;
    }

    /// <summary>Writes a kubeconfig for kubectl and helm (parent folders are created).</summary>
    public void WriteKubeconfig(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // Written whole then renamed, so a reader polling for the file never sees half of it.
        var temp = path + ".tmp";
        File.WriteAllText(temp, Kubeconfig.Render(Url, _certificate?.ExportCertificatePem()));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates an object without HTTP (namespaced objects without a namespace go to "default").</summary>
    public JsonObject Create(JsonObject obj, string fieldManager = "serval-local")
    {
        var (type, ns) = Resolve(obj);
        return _objects.Create(type, ns, obj.CloneObject(), Internal(fieldManager)).Object.ToJson();
    }

    /// <summary>Server-side applies an object (force: the caller's fields win), creating it when missing.</summary>
    public JsonObject Apply(JsonObject obj, string fieldManager = "serval-local")
    {
        var (type, ns) = Resolve(obj);
        var name = obj.StringAtPath("metadata", "name") ?? throw new ArgumentException("metadata.name is required to apply an object", nameof(obj));
        var bytes = obj.ToUtf8();
        return _objects.Patch(type, ns, name, null, "application/apply-patch+yaml", bytes, Internal(fieldManager)).Object.ToJson();
    }

    /// <summary>Applies every object of a multi-document YAML manifest, in order; answers the stored objects.</summary>
    public IReadOnlyList<JsonObject> ApplyManifests(string yaml, string fieldManager = "serval-local") =>
        YamlJson.ParseDocuments(yaml).Select(o => Apply(o, fieldManager)).ToList();

    /// <summary>Replaces an object (PUT semantics: its resourceVersion, when given, must be current).</summary>
    public JsonObject Replace(JsonObject obj, string fieldManager = "serval-local")
    {
        var (type, ns) = Resolve(obj);
        var name = obj.StringAtPath("metadata", "name") ?? throw new ArgumentException("metadata.name is required", nameof(obj));
        return _objects.Update(type, ns, name, null, obj.CloneObject(), Internal(fieldManager) with { Force = false }).Object.ToJson();
    }

    /// <summary>Replaces the status of an object through its status subresource (the version is checked when given).</summary>
    public JsonObject UpdateStatus(JsonObject obj, string fieldManager = "serval-local")
    {
        var (type, ns) = Resolve(obj);
        var name = obj.StringAtPath("metadata", "name") ?? throw new ArgumentException("metadata.name is required", nameof(obj));
        return _objects.Update(type, ns, name, type.HasStatus ? "status" : null, obj.CloneObject(), Internal(fieldManager) with { Force = false }).Object.ToJson();
    }

    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        var type = Find(apiVersion, kind);
        return _objects.TryGet(type, type.Namespaced ? ns ?? "default" : null, name)?.ToJson();
    }

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        var type = Find(apiVersion, kind);
        return _objects.List(type, type.Namespaced ? ns : null, ListOptions.All).Items.Select(i => i.ToJson()).ToList();
    }

    /// <summary>Deletes an object (background propagation); answers false when it was not there.</summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name)
    {
        var type = Find(apiVersion, kind);
        try
        {
            _objects.Delete(type, type.Namespaced ? ns ?? "default" : null, name, DeleteOptions.Background);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _objects.Store.CloseAllWatchers();
        // Watches were just closed; what is left (a proxied APIService request, a slow client) gets a short grace.
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _collector.DisposeAsync().ConfigureAwait(false);
        if (_state is not null)
        {
            await _state.DisposeAsync().ConfigureAwait(false);
        }

        _certificate?.Dispose();
        _aggregation?.Dispose();
    }

    private static WriteOptions Internal(string fieldManager) => new(fieldManager, fieldManager, false, FieldValidation.Strict, Force: true);

    private ResourceType Find(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return _objects.Registry.FindByKind(group, version, kind)
            ?? throw new ApiException(404, "NotFound", $"no matches for kind \"{kind}\" in version \"{apiVersion}\"");
    }

    private (ResourceType Type, string? Namespace) Resolve(JsonObject obj)
    {
        var type = Find(obj.StringAt("apiVersion") ?? throw new ArgumentException("apiVersion is required", nameof(obj)),
            obj.StringAt("kind") ?? throw new ArgumentException("kind is required", nameof(obj)));
        return (type, type.Namespaced ? obj.StringAtPath("metadata", "namespace") ?? "default" : null);
    }
}
