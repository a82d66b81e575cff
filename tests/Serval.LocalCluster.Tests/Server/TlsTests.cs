using k8s;

namespace Serval.LocalCluster.Tests.Server;

/// <summary>With TLS on, clients trust the server through the CA the configuration carries.</summary>
[TestFixture]
public sealed class TlsTests
{
    [Test]
    public async Task KubernetesClient_OverTls_TrustsTheGeneratedCertificate()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { UseTls = true });
        using var client = new Kubernetes(server.ClientConfiguration());

        var ns = await client.CoreV1.ReadNamespaceAsync("default");

        Assert.That(server.Url.Scheme, Is.EqualTo("https"));
        Assert.That(ns.Metadata.Name, Is.EqualTo("default"));
    }

    [Test]
    public async Task Kubectl_OverTlsAndHttp2_ListsAndWatches()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { UseTls = true });
        var directory = Directory.CreateTempSubdirectory("serval-tls-").FullName;
        try
        {
            var kubeconfig = Path.Combine(directory, "kubeconfig");
            server.WriteKubeconfig(kubeconfig);
            using var kubectl = new Kubectl.KubectlRunner(kubeconfig);

            var namespaces = await kubectl.RunAsync("get", "namespaces", "-o", "name");
            var watched = await kubectl.RunAsync("get", "namespaces", "--watch", "--request-timeout=2s", "-o", "name");

            Assert.That(namespaces.ExitCode, Is.Zero, namespaces.ToString());
            Assert.That(namespaces.Stdout, Does.Contain("namespace/default"));
            Assert.That(watched.Stdout, Does.Contain("namespace/kube-system"), watched.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Start_WithBadPort_NamesTheOption()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { Port = 70000 }));

        Assert.That(error!.Message, Does.Contain("Port").And.Contain("70000"));
    }
}
