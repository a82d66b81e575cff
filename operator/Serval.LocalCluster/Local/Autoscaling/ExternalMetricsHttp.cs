using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>An HTTP client that reaches the API server as the kubeconfig says: its CA trusted, its bearer token sent.</summary>
public static class ExternalMetricsHttp
{
    public static HttpClient Create(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var handler = new HttpClientHandler();
        if (configuration.SslCaCerts is { Count: > 0 } authorities)
        {
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                return chain.Build(certificate);
            };
        }

        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        if (!string.IsNullOrEmpty(configuration.AccessToken))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", configuration.AccessToken);
        }

        return http;
    }
}
