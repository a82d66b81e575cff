using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Exceptions;
using Serval.Controllers.Kubernetes;

namespace Serval.Controllers.Tests.Kubernetes;

/// <summary>Kubeconfig files read with kubectl's rules: contexts, relative paths, the $KUBECONFIG merge, clear refusals.</summary>
public sealed class KubeconfigTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("serval-kubeconfig-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void FromFile_UsesTheCurrentContext()
    {
        var path = Write("config", TwoContexts(currentContext: "prod"));

        var configuration = Kubeconfig.FromFile(path);

        Assert.Multiple(() =>
        {
            Assert.That(configuration.Host, Is.EqualTo("https://prod.example:6443"));
            Assert.That(configuration.AccessToken, Is.EqualTo("prod-token"));
            Assert.That(configuration.Namespace, Is.EqualTo("serving"));
            Assert.That(configuration.CurrentContext, Is.EqualTo("prod"));
        });
    }

    [Test]
    public void FromFile_WithAContext_UsesThatContext()
    {
        var path = Write("config", TwoContexts(currentContext: "prod"));

        var configuration = Kubeconfig.FromFile(path, "dev");

        Assert.Multiple(() =>
        {
            Assert.That(configuration.Host, Is.EqualTo("http://127.0.0.1:8001"));
            Assert.That(configuration.SkipTlsVerify, Is.False);
            Assert.That(configuration.AccessToken, Is.EqualTo("dev-token"));
        });
    }

    [Test]
    public void FromFile_ReadsTlsSettingsAndInsecureSkipVerify()
    {
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://10.0.0.1:6443
                insecure-skip-tls-verify: true
                tls-server-name: api.internal
            users:
            - name: u
              user: {username: admin, password: secret}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var configuration = Kubeconfig.FromFile(path);

        Assert.Multiple(() =>
        {
            Assert.That(configuration.SkipTlsVerify, Is.True);
            Assert.That(configuration.TlsServerName, Is.EqualTo("api.internal"));
            Assert.That(configuration.Username, Is.EqualTo("admin"));
            Assert.That(configuration.Password, Is.EqualTo("secret"));
        });
    }

    [Test]
    public void Read_MakesCertificatePathsRelativeToTheFile()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "certs"));
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443", certificate-authority: certs/ca.crt}
            users:
            - name: u
              user: {client-certificate: certs/client.crt, client-key: /etc/keys/client.key, exec: {command: ./bin/login, apiVersion: client.authentication.k8s.io/v1}}
            - name: plugin
              user: {exec: {command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1}}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var config = Kubeconfig.Read(path);

        var users = config.Users.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(config.Clusters.Single().ClusterEndpoint.CertificateAuthority, Is.EqualTo(Path.Combine(_directory, "certs", "ca.crt")));
            Assert.That(users[0].UserCredentials.ClientCertificate, Is.EqualTo(Path.Combine(_directory, "certs", "client.crt")));
            Assert.That(users[0].UserCredentials.ClientKey, Is.EqualTo("/etc/keys/client.key"));
            Assert.That(users[0].UserCredentials.ExternalExecution.Command, Is.EqualTo(Path.Combine(_directory, "bin", "login")));
            Assert.That(users[1].UserCredentials.ExternalExecution.Command, Is.EqualTo("gke-gcloud-auth-plugin"), "a bare command is found on PATH");
        });
    }

    [Test]
    [NonParallelizable] // changes the process's working directory
    public void FromFile_ReadsACertificateAuthorityNamedRelativeToTheFile_FromAnotherWorkingDirectory()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "certs"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = new CertificateRequest("CN=serval-test-ca", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_directory, "certs", "ca.crt"), ca.ExportCertificatePem());
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443", certificate-authority: certs/ca.crt}
            users:
            - name: u
              user: {token: t}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);
        var elsewhere = Directory.CreateTempSubdirectory("serval-cwd-").FullName;
        var before = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(elsewhere);

            var configuration = Kubeconfig.FromFile(path);

            Assert.That(configuration.SslCaCerts.Select(c => c.Thumbprint), Is.EqualTo(new[] { ca.Thumbprint }));
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Test]
    public void Merge_TheFirstFileToNameAnEntryWins_AsDoesTheFirstCurrentContext()
    {
        var first = Kubeconfig.Read(Write("a", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: shared
              cluster: {server: "https://first:6443"}
            users:
            - name: me
              user: {token: first-token}
            contexts:
            - name: work
              context: {cluster: shared, user: me}
            """));
        var second = Kubeconfig.Read(Write("b", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: shared
              cluster: {server: "https://second:6443"}
            - name: extra
              cluster: {server: "https://extra:6443"}
            users:
            - name: me
              user: {token: second-token}
            contexts:
            - name: work
              context: {cluster: extra, user: me}
            current-context: work
            """));

        var merged = Kubeconfig.Merge([first, second]);

        Assert.Multiple(() =>
        {
            Assert.That(merged.CurrentContext, Is.EqualTo("work"));
            Assert.That(merged.Clusters.Select(c => $"{c.Name} {c.ClusterEndpoint.Server}"), Is.EqualTo(new[] { "shared https://first:6443", "extra https://extra:6443" }));
            Assert.That(merged.Users.Single().UserCredentials.Token, Is.EqualTo("first-token"));
            Assert.That(merged.Contexts.Single().ContextDetails.Cluster, Is.EqualTo("shared"));
        });
    }

    [Test]
    public void SearchPaths_SplitsKubeconfigAndDropsEmptyEntries()
    {
        var a = Path.Combine(_directory, "a");
        var b = Path.Combine(_directory, "b");

        var paths = Kubeconfig.SearchPaths($"{a}{Path.PathSeparator}{Path.PathSeparator}{b}{Path.PathSeparator}{a}", "/home/someone");

        Assert.That(paths, Is.EqualTo(new[] { a, b }));
    }

    [Test]
    public void SearchPaths_WithoutKubeconfig_IsTheHomeConfig()
    {
        Assert.That(Kubeconfig.SearchPaths(null, "/home/someone"), Is.EqualTo(new[] { "/home/someone/.kube/config" }));
    }

    [Test]
    public void FromFile_AMissingFile_IsRefusedWithItsPath()
    {
        var path = Path.Combine(_directory, "nope");

        var error = Assert.Throws<FileNotFoundException>(() => Kubeconfig.FromFile(path));

        Assert.That(error!.Message, Does.Contain(path));
    }

    [Test]
    public void FromFile_MalformedYaml_IsRefusedWithTheFileAndLine()
    {
        var path = Write("config", "apiVersion: v1\nclusters: [\n  {name: c\n");

        var error = Assert.Throws<KubeConfigException>(() => Kubeconfig.FromFile(path));

        Assert.That(error!.Message, Does.Contain(path).And.Contain("line"));
    }

    [Test]
    public void FromFile_NoCurrentContext_IsRefusedWithTheFile()
    {
        var path = Write("config", "apiVersion: v1\nkind: Config\nclusters: []\n");

        var error = Assert.Throws<KubeConfigException>(() => Kubeconfig.FromFile(path));

        Assert.That(error!.Message, Does.Contain(path).And.Contain("current-context"));
    }

    [Test]
    public void FromFile_ACurrentContextThatIsNotDefined_IsRefused()
    {
        var path = Write("config", TwoContexts(currentContext: "staging"));

        var error = Assert.Throws<KubeConfigException>(() => Kubeconfig.FromFile(path));

        Assert.That(error!.Message, Does.Contain("staging"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string TwoContexts(string currentContext) => $$"""
        apiVersion: v1
        kind: Config
        preferences: {}
        clusters:
        - name: prod
          cluster: {server: "https://prod.example:6443", insecure-skip-tls-verify: true}
        - name: dev
          cluster: {server: "http://127.0.0.1:8001"}
        users:
        - name: prod-admin
          user: {token: prod-token}
        - name: dev-admin
          user: {token: dev-token}
        contexts:
        - name: prod
          context: {cluster: prod, user: prod-admin, namespace: serving}
        - name: dev
          context: {cluster: dev, user: dev-admin}
        current-context: {{currentContext}}
        """;
}
