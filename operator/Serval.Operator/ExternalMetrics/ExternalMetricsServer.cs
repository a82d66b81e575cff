using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Serval.Operator.ExternalMetrics;

/// <summary>
/// Serves <see cref="ExternalMetricsApi"/> over HTTPS, as the aggregator requires of an APIService backend. The
/// certificate comes from a directory holding <c>tls.crt</c> and <c>tls.key</c> (a cert-manager Secret or the
/// chart's mount); without one a self-signed certificate is made at start (the APIService then needs
/// <c>insecureSkipTLSVerify</c> or its caBundle).
/// </summary>
internal sealed class ExternalMetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExternalMetricsServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where it listens, e.g. https://127.0.0.1:6443/.</summary>
    public Uri Url { get; }

    public static async Task<ExternalMetricsServer> StartAsync(
        DesiredReplicasStore store, IPAddress address, int port, string? certificateDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var certificate = certificateDirectory is null ? SelfSigned() : Load(certificateDirectory);
        // Kestrel and routing only (no configuration files, no content-root watcher); see HealthServer.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port, o => o.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet(ExternalMetricsApi.BasePath, () => Results.Json(ExternalMetricsApi.Discovery()));
        app.MapGet(ExternalMetricsApi.BasePath + "/namespaces/{ns}/{metric}", (string ns, string metric, HttpRequest request) =>
        {
            var (status, body) = ExternalMetricsApi.Get(ns, metric, request.Query["labelSelector"].ToString(), store);
            return Results.Json(body, statusCode: status);
        });
        app.MapFallback((HttpContext context) => Results.Json(
            ExternalMetricsApi.Status(404, "NotFound", $"{context.Request.Path} is not served"), statusCode: 404));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ExternalMetricsServer(app, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        // Its clients are HPA reads through the aggregator: each is quick, and none is worth holding a shutdown for.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static X509Certificate2 Load(string directory)
    {
        var crt = Path.Combine(directory, "tls.crt");
        var key = Path.Combine(directory, "tls.key");
        if (!File.Exists(crt) || !File.Exists(key))
        {
            throw new ArgumentException($"--external-metrics-cert-dir {directory}: expected tls.crt and tls.key there");
        }

        using var pem = X509Certificate2.CreateFromPemFile(crt, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pfx), null);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=serval-external-metrics", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
