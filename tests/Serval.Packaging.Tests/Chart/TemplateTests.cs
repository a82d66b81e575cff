using System.Text.Json.Nodes;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Chart;

/// <summary><c>helm template</c> with default and non-default values: what each option renders.</summary>
public sealed class TemplateTests
{
    private static JsonObject OperatorContainer(RenderedChart chart) =>
        chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == "operator")!.AsObject();

    private static List<string> Args(RenderedChart chart) =>
        OperatorContainer(chart)["args"]!.AsArray().Select(a => (string)a!).ToList();

    [Test]
    public async Task Defaults_RenderTheOperatorAndItsClusterWideRbac()
    {
        var chart = await RenderedChart.TemplateAsync();

        Assert.That(chart.Kinds, Is.EquivalentTo(new[]
        {
            "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Deployment", "PodDisruptionBudget",
            "Role", "RoleBinding", "Service", "ServiceAccount",
        }));
    }

    [Test]
    public async Task ExternalMetrics_RenderTheApiServiceItsServiceAndTlsSecret()
    {
        var chart = await RenderedChart.TemplateAsync("externalMetrics.enabled=true");

        Assert.Multiple(() =>
        {
            Assert.That(chart.Kinds, Is.SupersetOf(new[] { "APIService", "Secret" }));
            Assert.That(Args(chart), Is.SupersetOf(new[] { "--external-metrics-port=6443", "--external-metrics-cert-dir=/etc/serval/tls" }));
        });
    }

    [Test]
    public async Task Defaults_TwoReplicasWithLeaderElectionInTheReleaseNamespace()
    {
        var chart = await RenderedChart.TemplateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(chart.Single("Deployment")["spec"]!["replicas"]!.ToJsonString(), Is.EqualTo("2"));
            Assert.That(Args(chart), Is.SupersetOf(new[] { "run", "--leader-elect=true", $"--leader-election-namespace={RenderedChart.Namespace}" }));
        });
    }

    [Test]
    public async Task Defaults_ProbesHitHealthzAndReadyzOnTheMetricsPort()
    {
        var container = OperatorContainer(await RenderedChart.TemplateAsync());

        Assert.Multiple(() =>
        {
            Assert.That((string?)container["livenessProbe"]!["httpGet"]!["path"], Is.EqualTo("/healthz"));
            Assert.That((string?)container["readinessProbe"]!["httpGet"]!["path"], Is.EqualTo("/readyz"));
            Assert.That((string?)container["readinessProbe"]!["httpGet"]!["port"], Is.EqualTo("metrics"));
            Assert.That(container["resources"]!["requests"]!["cpu"], Is.Not.Null);
            Assert.That(container["resources"]!["limits"]!["memory"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Defaults_MeetTheRestrictedPodSecurityStandard()
    {
        var chart = await RenderedChart.TemplateAsync();
        var pod = chart.Single("Deployment")["spec"]!["template"]!["spec"]!.AsObject();
        var container = OperatorContainer(chart);

        Assert.Multiple(() =>
        {
            Assert.That((bool?)pod["securityContext"]!["runAsNonRoot"], Is.True);
            Assert.That((string?)pod["securityContext"]!["seccompProfile"]!["type"], Is.EqualTo("RuntimeDefault"));
            Assert.That((bool?)container["securityContext"]!["allowPrivilegeEscalation"], Is.False);
            Assert.That((bool?)container["securityContext"]!["readOnlyRootFilesystem"], Is.True);
            Assert.That((bool?)container["securityContext"]!["runAsNonRoot"], Is.True);
            Assert.That(container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c), Is.EqualTo(new[] { "ALL" }));
            Assert.That(pod["hostNetwork"] ?? pod["hostPID"] ?? pod["hostIPC"], Is.Null);
        });
    }

    [Test]
    public async Task ExternalMetrics_ApiServiceCaBundleSignsTheServingCertificate()
    {
        var chart = await RenderedChart.TemplateAsync("externalMetrics.enabled=true");
        var apiService = chart.Single("APIService", "v1beta1.external.metrics.k8s.io");
        var secret = chart.Single("Secret");

        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            Convert.FromBase64String((string)apiService["spec"]!["caBundle"]!));
        var serving = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            Convert.FromBase64String((string)secret["data"]!["tls.crt"]!));
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;

        Assert.Multiple(() =>
        {
            Assert.That(chain.Build(serving), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.That(serving.MatchesHostname($"serval-metrics-api.{RenderedChart.Namespace}.svc"), Is.True);
            Assert.That((string?)apiService["spec"]!["service"]!["name"], Is.EqualTo("serval-metrics-api"));
        });
    }

    [Test]
    public async Task WatchNamespace_GrantsARoleInThatNamespaceAndNoClusterRoleForTheOperator()
    {
        var chart = await RenderedChart.TemplateAsync("operator.watchNamespace=models", "externalMetrics.enabled=false");

        Assert.Multiple(() =>
        {
            Assert.That(chart.OfKind("ClusterRole"), Is.Empty);
            Assert.That(chart.OfKind("ClusterRoleBinding"), Is.Empty);
            Assert.That((string?)chart.Single("Role", "serval")["metadata"]!["namespace"], Is.EqualTo("models"));
            Assert.That(Args(chart), Does.Contain("--namespace=models"));
        });
    }

    [Test]
    public async Task CertManager_ReplacesTheGeneratedSecretWithACertificateAndCaInjection()
    {
        var chart = await RenderedChart.TemplateAsync("externalMetrics.enabled=true", "externalMetrics.certManager.enabled=true");
        var apiService = chart.Single("APIService");

        Assert.Multiple(() =>
        {
            Assert.That(chart.OfKind("Secret"), Is.Empty);
            Assert.That((string?)chart.Single("Certificate")["spec"]!["secretName"], Is.EqualTo("serval-metrics-api-tls"));
            Assert.That((string?)chart.Single("Issuer")["spec"]!["selfSigned"]?.ToJsonString(), Is.EqualTo("{}"));
            Assert.That((string?)apiService["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"], Is.EqualTo("serval-system/serval-metrics-api"));
            Assert.That(apiService["spec"]!["caBundle"], Is.Null);
        });
    }

    [Test]
    public async Task CertManager_WithAnIssuerRef_UsesItAndCreatesNoIssuer()
    {
        var chart = await RenderedChart.TemplateAsync(
            "externalMetrics.enabled=true",
            "externalMetrics.certManager.enabled=true",
            "externalMetrics.certManager.issuerRef.name=corp-ca",
            "externalMetrics.certManager.issuerRef.kind=ClusterIssuer");

        Assert.Multiple(() =>
        {
            Assert.That(chart.OfKind("Issuer"), Is.Empty);
            Assert.That((string?)chart.Single("Certificate")["spec"]!["issuerRef"]!["name"], Is.EqualTo("corp-ca"));
        });
    }

    [Test]
    public async Task ExternalMetricsOff_RendersNoApiServiceAndNoTlsVolume()
    {
        var chart = await RenderedChart.TemplateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(chart.OfKind("APIService"), Is.Empty);
            Assert.That(chart.OfKind("Secret"), Is.Empty);
            Assert.That(Args(chart).Where(a => a.StartsWith("--tls", StringComparison.Ordinal)), Is.Empty);
            Assert.That(chart.OfKind("ClusterRoleBinding").Select(b => (string?)b["roleRef"]!["name"]), Does.Not.Contain("system:auth-delegator"));
        });
    }

    [Test]
    public async Task ExternalMetrics_LetTheHpaControllerReadThemAndDelegateAuth()
    {
        var chart = await RenderedChart.TemplateAsync("externalMetrics.enabled=true");
        var bindings = chart.OfKind("ClusterRoleBinding").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(bindings.Select(b => (string?)b["roleRef"]!["name"]), Does.Contain("system:auth-delegator"));
            var hpa = bindings.Single(b => (string?)b["roleRef"]!["name"] == "serval-external-metrics-reader");
            Assert.That((string?)hpa["subjects"]![0]!["name"], Is.EqualTo("horizontal-pod-autoscaler"));
            Assert.That((string?)hpa["subjects"]![0]!["namespace"], Is.EqualTo("kube-system"));
            var reader = chart.OfKind("RoleBinding").Single(b => (string?)b["roleRef"]!["name"] == "extension-apiserver-authentication-reader");
            Assert.That((string?)reader["metadata"]!["namespace"], Is.EqualTo("kube-system"));
        });
    }

    [Test]
    public async Task Monitoring_ServiceMonitorScrapesTheOperatorAndPodMonitorTheWorkers()
    {
        var chart = await RenderedChart.TemplateAsync("metrics.serviceMonitor.enabled=true", "metrics.podMonitor.enabled=true");

        Assert.Multiple(() =>
        {
            Assert.That((string?)chart.Single("ServiceMonitor")["spec"]!["endpoints"]![0]!["port"], Is.EqualTo("metrics"));
            var podMonitor = chart.Single("PodMonitor");
            Assert.That((string?)podMonitor["spec"]!["selector"]!["matchExpressions"]![0]!["key"], Is.EqualTo("serval.dev/inferenceservice"));
            Assert.That((string?)podMonitor["spec"]!["podMetricsEndpoints"]![0]!["port"], Is.EqualTo("http"));
        });
    }

    [Test]
    public async Task NetworkPolicy_AdmitsOnlyTheMetricsAndMetricsApiPorts()
    {
        var chart = await RenderedChart.TemplateAsync("networkPolicy.enabled=true", "externalMetrics.enabled=true");
        var ports = chart.Single("NetworkPolicy")["spec"]!["ingress"]!.AsArray()
            .SelectMany(rule => rule!["ports"]!.AsArray().Select(p => (string?)p!["port"]));

        Assert.That(ports, Is.EquivalentTo(new[] { "metrics", "https" }));
    }

    [Test]
    public async Task WorkerImage_WhenSet_IsPassedToTheOperator()
    {
        var chart = await RenderedChart.TemplateAsync("worker.image=registry.example/serval-worker:9.9");

        Assert.That(Args(chart), Does.Contain("--worker-image=registry.example/serval-worker:9.9"));
    }

    [Test]
    public async Task Defaults_PassOnlyFlagsTheOperatorAccepts()
    {
        var args = Args(await RenderedChart.TemplateAsync());

        Assert.That(args[0], Is.EqualTo("run"));
        var flags = Serval.Operator.Commands.RunOptions.Parse(args[1..]);
        Assert.Multiple(() =>
        {
            Assert.That(flags.MetricsPort, Is.EqualTo(8081));
            Assert.That(flags.LeaderElect, Is.True);
            Assert.That(flags.LeaderElectionNamespace, Is.EqualTo("serval-system"));
            Assert.That(flags.WorkerImage, Is.Null);
        });
    }

    [Test]
    public async Task EveryOption_RendersFlagsTheOperatorParsesToTheGivenValues()
    {
        var args = Args(await RenderedChart.TemplateAsync(
            "externalMetrics.enabled=true",
            "externalMetrics.port=7443",
            "worker.image=registry.example/serval-worker:9.9",
            "operator.watchNamespace=models",
            "operator.maxConcurrentReconciles=9",
            "operator.leaderElection.enabled=false",
            "replicaCount=1"));

        var flags = Serval.Operator.Commands.RunOptions.Parse(args[1..]);
        Assert.Multiple(() =>
        {
            Assert.That(flags.ExternalMetricsPort, Is.EqualTo(7443));
            Assert.That(flags.ExternalMetricsCertDir, Is.EqualTo("/etc/serval/tls"));
            Assert.That(flags.WorkerImage, Is.EqualTo("registry.example/serval-worker:9.9"));
            Assert.That(flags.Namespace, Is.EqualTo("models"));
            Assert.That(flags.MaxConcurrentReconciles, Is.EqualTo(9));
            Assert.That(flags.LeaderElect, Is.False);
        });
    }

    [Test]
    public async Task ImageDigest_WinsOverTheTag()
    {
        var digest = "sha256:" + new string('a', 64);
        var chart = await RenderedChart.TemplateAsync($"image.digest={digest}");

        Assert.That((string?)OperatorContainer(chart)["image"], Is.EqualTo($"ghcr.io/serval-dev/serval-operator@{digest}"));
    }
}
