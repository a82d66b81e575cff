using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Objects;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Aggregation;

/// <summary>
/// The aggregation layer: a group-version whose APIService names a Service (<c>spec.service</c>) is served by that
/// Service's endpoints, over HTTPS, as kube-aggregator does with endpoint routing. The backend's certificate is
/// checked against <c>spec.caBundle</c> for the name <c>&lt;service&gt;.&lt;namespace&gt;.svc</c> unless
/// <c>spec.insecureSkipTLSVerify</c> is set. Unlike the real aggregator it sends no front-proxy client certificate
/// or X-Remote-User headers (the local server authenticates no one), and APIService status is not maintained.
/// </summary>
internal sealed partial class ApiServiceProxy : IDisposable
{
    private static readonly HttpRequestOptionsKey<BackendTrust> TrustKey = new("serval-apiservice-trust");
    private static readonly string[] ForwardedHeaders = ["Accept", "User-Agent", "Content-Type"];

    private readonly ObjectService _objects;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    public ApiServiceProxy(ObjectService objects, ILogger logger)
    {
        _objects = objects;
        _logger = logger;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = Validate,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private ResourceType ApiServices => _objects.Registry.Find("apiregistration.k8s.io", "v1", "apiservices")!;

    /// <summary>The group-versions served by Services, for discovery: group, then its versions by priority.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var served = _objects.List(ApiServices, null, ListOptions.All).Items
            .Select(o => o.ToJson())
            .Where(o => o.At("spec", "service") is JsonObject && o.StringAtPath("spec", "group") is { Length: > 0 } && o.StringAtPath("spec", "version") is { Length: > 0 })
            .Select(o => (
                Group: o.StringAtPath("spec", "group")!,
                Version: o.StringAtPath("spec", "version")!,
                GroupPriority: (o.At("spec", "groupPriorityMinimum") as JsonValue)?.GetValue<long>() ?? 0,
                VersionPriority: (o.At("spec", "versionPriority") as JsonValue)?.GetValue<long>() ?? 0))
            .Where(s => !_objects.Registry.All.Any(t => t.Group == s.Group && t.Version == s.Version))
            .ToList();
        return [.. served
            .GroupBy(s => s.Group, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(s => s.GroupPriority)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.OrderByDescending(s => s.VersionPriority).ThenBy(s => s.Version, StringComparer.Ordinal).Select(s => s.Version)]))];
    }

    /// <summary>
    /// The APIService that serves <paramref name="group"/>/<paramref name="version"/> from a Service; null when the
    /// group-version is local (served from the registry) or unknown.
    /// </summary>
    public JsonObject? Find(string group, string version)
    {
        if (_objects.Registry.All.Any(t => t.Group == group && t.Version == version))
        {
            return null;
        }

        var stored = _objects.TryGet(ApiServices, null, $"{version}.{group}")?.ToJson();
        return stored?.At("spec", "service") is JsonObject ? stored : null;
    }

    /// <summary>Forwards the request to the APIService's backend and streams the answer back; returns the status code.</summary>
    public async Task<int> ForwardAsync(HttpContext ctx, JsonObject apiService, CancellationToken ct)
    {
        var name = apiService.Metadata().StringAt("name")!;
        var (target, trust) = Resolve(apiService, name);
        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), new UriBuilder(target)
        {
            Path = ctx.Request.Path.Value ?? "/",
            Query = ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : string.Empty,
        }.Uri);
        request.Options.Set(TrustKey, trust);
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(ctx.Request.Body);
        }

        foreach (var header in ForwardedHeaders)
        {
            if (ctx.Request.Headers.TryGetValue(header, out var values) && !request.Headers.TryAddWithoutValidation(header, (IEnumerable<string>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(header, (IEnumerable<string>)values);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogBackendFailed(_logger, name, target, e.Message);
            throw Unavailable(name, $"error trying to reach service: {e.Message}");
        }

        using (response)
        {
            ctx.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } type)
            {
                ctx.Response.ContentType = type.ToString();
            }

            var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await ctx.Response.StartAsync(ct).ConfigureAwait(false);
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                }
            }

            return (int)response.StatusCode;
        }
    }

    /// <summary>
    /// Each served group-version with the backend's APIResourceList (GET /apis/group/version), or null where the
    /// backend does not answer within <paramref name="timeout"/>: aggregated discovery then marks it Stale, as the
    /// real aggregator does.
    /// </summary>
    public async Task<IReadOnlyList<AggregatedGroupVersion>> DiscoverAsync(TimeSpan timeout, CancellationToken ct)
    {
        var result = new List<AggregatedGroupVersion>();
        foreach (var (group, versions) in Groups())
        {
            foreach (var version in versions)
            {
                result.Add(new AggregatedGroupVersion(group, version, await FetchResourceListAsync(group, version, timeout, ct).ConfigureAwait(false)));
            }
        }

        return result;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject?> FetchResourceListAsync(string group, string version, TimeSpan timeout, CancellationToken ct)
    {
        if (Find(group, version) is not { } apiService)
        {
            return null;
        }

        var name = apiService.Metadata().StringAt("name")!;
        try
        {
            var (target, trust) = Resolve(apiService, name);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, $"/apis/{group}/{version}"));
            request.Options.Set(TrustKey, trust);
            request.Headers.Accept.ParseAdd("application/json");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            using var response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogDiscoveryStatus(_logger, name, (int)response.StatusCode);
                return null;
            }

            return JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)) as JsonObject;
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or System.Text.Json.JsonException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogDiscoveryFailed(_logger, name, e.Message);
            return null;
        }
    }

    private (Uri Target, BackendTrust Trust) Resolve(JsonObject apiService, string name)
    {
        var reference = (JsonObject)apiService.At("spec", "service")!;
        var ns = reference.StringAt("namespace") ?? "default";
        var serviceName = reference.StringAt("name")
            ?? throw Unavailable(name, "spec.service.name is not set");
        var port = reference.LongAt("port") ?? 443;
        var services = _objects.Registry.Find(string.Empty, "v1", "services")!;
        var service = _objects.TryGet(services, ns, serviceName)?.ToJson()
            ?? throw Unavailable(name, $"service \"{ns}/{serviceName}\" not found");
        var servicePort = (service.At("spec", "ports") as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(p => p.LongAt("port") == port)
            ?? throw Unavailable(name, $"service \"{ns}/{serviceName}\" has no port {port.ToString(CultureInfo.InvariantCulture)}");
        var portName = servicePort.StringAt("name");
        var endpoints = _objects.TryGet(_objects.Registry.Find(string.Empty, "v1", "endpoints")!, ns, serviceName)?.ToJson();
        foreach (var subset in (endpoints?["subsets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ports = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var match = ports.FirstOrDefault(p => p.StringAt("name") == portName) ?? (ports.Count == 1 ? ports[0] : null);
            var address = (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>().Select(a => a.StringAt("ip")).FirstOrDefault(ip => ip is { Length: > 0 });
            if (match?.LongAt("port") is { } targetPort && address is not null)
            {
                var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
                var trust = new BackendTrust(
                    $"{serviceName}.{ns}.svc",
                    apiService.At("spec", "insecureSkipTLSVerify") is JsonValue skip && skip.GetValue<bool>(),
                    apiService.StringAtPath("spec", "caBundle"));
                return (new Uri($"https://{host}:{targetPort.ToString(CultureInfo.InvariantCulture)}"), trust);
            }
        }

        throw Unavailable(name, $"no endpoints available for service \"{ns}/{serviceName}\"");
    }

    private static ApiException Unavailable(string apiService, string why) =>
        new(503, "ServiceUnavailable", $"the server is currently unable to handle the request (APIService {apiService}: {why})");

    private static bool Validate(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || !request.Options.TryGetValue(TrustKey, out var trust))
        {
            return false;
        }

        if (trust.InsecureSkipVerify)
        {
            return true;
        }

        if (trust.CaBundle is null)
        {
            // No caBundle: the system roots, and the name the aggregator dials.
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None && certificate.MatchesHostname(trust.ServerName);
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(trust.CaBundle)));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        return custom.Build(certificate) && certificate.MatchesHostname(trust.ServerName);
    }

    private sealed record BackendTrust(string ServerName, bool InsecureSkipVerify, string? CaBundle);
}
