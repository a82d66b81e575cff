using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Serval.LocalCluster;
using Serval.Operator.ExternalMetrics;

namespace Serval.Operator.Local;

/// <summary>
/// The external metrics API in local mode, registered as it is on a cluster: the operator serves it over HTTPS on a
/// loopback port, and the API server reaches it through the APIService <c>v1beta1.external.metrics.k8s.io</c>, a
/// selector-less Service and its Endpoints (127.0.0.1 and that port), checking the certificate against the
/// APIService's caBundle. The local HPA controller reads its metrics through the API server, as the real one does.
/// </summary>
internal static class LocalExternalMetrics
{
    public const string Namespace = "serval-system";
    public const string ServiceName = "serval-external-metrics";
    public const string ApiServiceName = "v1beta1." + ExternalMetricsApi.Group;
    private const string FieldManager = "serval-operator";

    /// <summary>
    /// tls.crt and tls.key under <paramref name="stateDirectory"/>/external-metrics for
    /// <c>serval-external-metrics.serval-system.svc</c>: made once, kept across restarts, made again when it expires within a day.
    /// </summary>
    public static string EnsureCertificate(string stateDirectory, TimeProvider time)
    {
        var directory = Path.Combine(stateDirectory, "external-metrics");
        var crt = Path.Combine(directory, "tls.crt");
        var key = Path.Combine(directory, "tls.key");
        if (File.Exists(crt) && File.Exists(key))
        {
            using var existing = X509Certificate2.CreateFromPemFile(crt, key);
            if (existing.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(1))
            {
                return directory;
            }
        }

        Directory.CreateDirectory(directory);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ServiceName}.{Namespace}.svc", ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName($"{ServiceName}.{Namespace}.svc");
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Its own CA: the APIService's caBundle is this certificate.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        return directory;
    }

    /// <summary>Registers (or points again, after a restart) the APIService at the operator's metrics server on <paramref name="port"/>.</summary>
    public static void Register(EmbeddedApiServer server, string certificateDirectory, int port)
    {
        ArgumentNullException.ThrowIfNull(server);
        var caBundle = Convert.ToBase64String(Encoding.ASCII.GetBytes(File.ReadAllText(Path.Combine(certificateDirectory, "tls.crt"))));
        server.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = Namespace },
        }, FieldManager);
        server.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = ServiceName, ["namespace"] = Namespace },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["targetPort"] = port }) },
        }, FieldManager);
        server.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject { ["name"] = ServiceName, ["namespace"] = Namespace },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = port }),
            }),
        }, FieldManager);
        server.Apply(new JsonObject
        {
            ["apiVersion"] = "apiregistration.k8s.io/v1",
            ["kind"] = "APIService",
            ["metadata"] = new JsonObject { ["name"] = ApiServiceName },
            ["spec"] = new JsonObject
            {
                ["group"] = ExternalMetricsApi.Group,
                ["version"] = "v1beta1",
                ["groupPriorityMinimum"] = 100,
                ["versionPriority"] = 100,
                ["caBundle"] = caBundle,
                ["service"] = new JsonObject { ["name"] = ServiceName, ["namespace"] = Namespace, ["port"] = 443 },
            },
        }, FieldManager);
    }
}
