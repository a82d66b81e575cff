using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serval.LocalCluster.Tests.Kubectl;

/// <summary>
/// APIServices backed by a Service: the embedded server proxies their group-version to the Service's endpoints
/// over HTTPS (checking the caBundle), lists them in discovery, and says why when it cannot reach them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AggregationTests
{
    private const string Group = "metrics.test.serval.dev";
    private EmbeddedApiServer _server = null!;
    private KubectlRunner _kubectl = null!;
    private string _directory = null!;
    private WebApplication _backend = null!;
    private int _backendPort;
    private string _caBundle = null!;
    private int _backendRequests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _directory = Directory.CreateTempSubdirectory("serval-aggregation-tests-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig);

        using var certificate = Certificate("backend.serval-system.svc");
        _caBundle = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var serving = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(serving)));
        _backend = builder.Build();
        _backend.Use(async (HttpContext ctx, RequestDelegate next) =>
        {
            Interlocked.Increment(ref _backendRequests);
            await next(ctx);
        });
        _backend.MapGet($"/apis/{Group}/v1", () => Results.Json(new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = $"{Group}/v1",
            ["resources"] = new JsonArray(new JsonObject
            {
                ["name"] = "gauges", ["singularName"] = string.Empty, ["namespaced"] = true, ["kind"] = "Gauge", ["verbs"] = new JsonArray("get"),
            }),
        }));
        _backend.MapGet($"/apis/{Group}/v1/namespaces/{{ns}}/gauges/{{name}}", (string ns, string name, HttpRequest request) => Results.Json(new JsonObject
        {
            ["kind"] = "Gauge",
            ["apiVersion"] = $"{Group}/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["value"] = 42,
            ["selector"] = request.Query["labelSelector"].ToString(),
        }));
        await _backend.StartAsync();
        _backendPort = new Uri(_backend.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        _server.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "serval-system" } });
        _server.Apply(SelectorlessService("backend"));
        _server.Apply(Endpoints("backend", _backendPort));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _kubectl.Dispose();
        await _backend.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [TearDown]
    public void RemoveApiServices()
    {
        _server.Delete("apiregistration.k8s.io/v1", "APIService", null, $"v1.{Group}");
    }

    [Test]
    public async Task GetRaw_ThroughTheApiServer_ReachesTheBackendWithPathAndQuery()
    {
        _server.Apply(ApiService("backend", _caBundle));

        var result = await _kubectl.RunAsync("get", "--raw", $"/apis/{Group}/v1/namespaces/models/gauges/load?labelSelector=app%3Dmlp");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var body = JsonNode.Parse(result.Stdout)!;
        Assert.Multiple(() =>
        {
            Assert.That((int?)body["value"], Is.EqualTo(42));
            Assert.That((string?)body["metadata"]!["namespace"], Is.EqualTo("models"));
            Assert.That((string?)body["selector"], Is.EqualTo("app=mlp"));
        });
    }

    [Test]
    public async Task Discovery_ListsTheGroupAndTheBackendsResources()
    {
        _server.Apply(ApiService("backend", _caBundle));

        var resources = await _kubectl.RunAsync("api-resources", "--api-group", Group, "-o", "name");
        var groups = await _kubectl.RunAsync("get", "--raw", "/apis");

        Assert.That(resources.ExitCode, Is.Zero, resources.ToString());
        Assert.That(resources.Stdout.Trim(), Is.EqualTo($"gauges.{Group}"));
        Assert.That(groups.Stdout, Does.Contain($"\"{Group}/v1\""));
    }

    [Test]
    public async Task CaBundleThatDidNotSignTheBackend_Refuses503WithoutReachingIt()
    {
        using var other = Certificate("backend.serval-system.svc");
        _server.Apply(ApiService("backend", Convert.ToBase64String(Encoding.ASCII.GetBytes(other.ExportCertificatePem()))));
        var before = Volatile.Read(ref _backendRequests);

        var result = await _kubectl.RunAsync("get", "--raw", $"/apis/{Group}/v1/namespaces/models/gauges/load");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("ServiceUnavailable").Or.Contain("currently unable to handle the request"), result.ToString());
        Assert.That(Volatile.Read(ref _backendRequests), Is.EqualTo(before), "no request may pass a failed TLS check");
    }

    [Test]
    public async Task InsecureSkipTlsVerify_ReachesTheBackend()
    {
        var apiService = ApiService("backend", null);
        apiService["spec"]!["insecureSkipTLSVerify"] = true;
        _server.Apply(apiService);

        var result = await _kubectl.RunAsync("get", "--raw", $"/apis/{Group}/v1/namespaces/models/gauges/load");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task ServiceWithoutEndpoints_Is503NamingTheService()
    {
        _server.Apply(SelectorlessService("nobody"));
        _server.Apply(ApiService("nobody", _caBundle));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_server.Url, $"/apis/{Group}/v1/namespaces/models/gauges/load"));
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That((int)response.StatusCode, Is.EqualTo(503));
        Assert.That((string?)status["reason"], Is.EqualTo("ServiceUnavailable"));
        Assert.That((string?)status["message"], Does.Contain("no endpoints available for service \"serval-system/nobody\""));
    }

    [Test]
    public async Task ApiServiceDeleted_TheGroupIsGone()
    {
        _server.Apply(ApiService("backend", _caBundle));
        _server.Delete("apiregistration.k8s.io/v1", "APIService", null, $"v1.{Group}");
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_server.Url, $"/apis/{Group}/v1/namespaces/models/gauges/load"));

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    private static X509Certificate2 Certificate(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static JsonObject SelectorlessService(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "serval-system" },
        ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["targetPort"] = 6443 }) },
    };

    private static JsonObject Endpoints(string name, int port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "serval-system" },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = port }),
        }),
    };

    private static JsonObject ApiService(string service, string? caBundle)
    {
        var spec = new JsonObject
        {
            ["group"] = Group,
            ["version"] = "v1",
            ["groupPriorityMinimum"] = 100,
            ["versionPriority"] = 100,
            ["service"] = new JsonObject { ["name"] = service, ["namespace"] = "serval-system", ["port"] = 443 },
        };
        if (caBundle is not null)
        {
            spec["caBundle"] = caBundle;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiregistration.k8s.io/v1",
            ["kind"] = "APIService",
            ["metadata"] = new JsonObject { ["name"] = $"v1.{Group}" },
            ["spec"] = spec,
        };
    }
}
