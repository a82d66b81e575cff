using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Kubectl;

/// <summary>The real kubectl drives the embedded API server: apply (client- and server-side), get, patch, delete, wait, watch.</summary>
[TestFixture]
[NonParallelizable]
public sealed class KubectlTests
{
    private EmbeddedApiServer _server = null!;
    private KubectlRunner _kubectl = null!;
    private string _directory = null!;
    private int _namespaces;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _directory = Directory.CreateTempSubdirectory("serval-kubectl-tests-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig);
        var crd = await _kubectl.RunAsync("apply", "-f", TestData.Path("widgets-crd.yaml"));
        Assert.That(crd.ExitCode, Is.Zero, crd.ToString());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Apply_Samples_CreatesEachObject()
    {
        var ns = NewNamespace();

        var result = await _kubectl.RunAsync("apply", "-n", ns, "-f", TestData.Path("widgets"));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("widget.test.serval.dev/alpha created").And.Contain("widget.test.serval.dev/beta created"));
    }

    [Test]
    public async Task Apply_SameFilesAgain_IsUnchanged()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets"));

        var again = await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets"));

        Assert.That(again.Stdout, Does.Contain("widget.test.serval.dev/alpha unchanged").And.Contain("widget.test.serval.dev/beta unchanged"));
    }

    [Test]
    public async Task ApplyServerSide_RecordsKubectlAsApplyManager()
    {
        var ns = NewNamespace();

        var result = await MustAsync("apply", "--server-side", "-n", ns, "-f", TestData.Path("widgets"));
        var managers = await MustAsync("get", "widget", "alpha", "-n", ns, "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation};{end}");

        Assert.That(result.Stdout, Does.Contain("widget.test.serval.dev/alpha serverside-applied"));
        Assert.That(managers.Stdout, Is.EqualTo("kubectl:Apply;"));
    }

    [Test]
    public async Task ApplyServerSide_AfterClientSideApply_MigratesWithoutConflicts()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets"));

        var result = await _kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", TestData.Path("widgets"));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("widget.test.serval.dev/beta serverside-applied"));
    }

    [Test]
    public async Task ApplyServerSide_FieldOwnedByAnotherManager_IsAConflictNamingIt()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "--server-side", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));
        await MustAsync("patch", "widget", "alpha", "-n", ns, "--type", "merge", "--field-manager", "autoscaler", "-p", "{\"spec\":{\"replicas\":7}}");

        var result = await _kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain("conflict with \"autoscaler\"").And.Contain(".spec.replicas"));
    }

    [Test]
    public async Task GetYaml_ShowsSchemaDefaults()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));

        var yaml = await MustAsync("get", "widget", "alpha", "-n", ns, "-o", "yaml");

        Assert.That(yaml.Stdout, Does.Contain("tier: standard").And.Contain("minReplicas: 0").And.Contain("generation: 1"));
    }

    [Test]
    public async Task Get_PrintsTheCrdPrinterColumns()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets"));

        var table = await MustAsync("get", "wd", "-n", ns);

        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "NAME", "MODEL", "REPLICAS", "READY", "AGE" }));
        Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3], Is.EqualTo(new[] { "alpha", "mlp", "2" }));
    }

    [Test]
    public async Task Patch_MergeOnSpec_ChangesItAndBumpsGeneration()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));

        await MustAsync("patch", "widget", "alpha", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"replicas\":4}}");
        var values = await MustAsync("get", "widget", "alpha", "-n", ns, "-o", "jsonpath={.spec.replicas}/{.metadata.generation}");

        Assert.That(values.Stdout, Is.EqualTo("4/2"));
    }

    [Test]
    public async Task Delete_WithAFinalizer_WaitsUntilTheFinalizerIsRemoved()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));
        await MustAsync("patch", "widget", "alpha", "-n", ns, "--type", "merge", "-p", "{\"metadata\":{\"finalizers\":[\"test.serval.dev/hold\"]}}");

        using var delete = _kubectl.Start("delete", "widget", "alpha", "-n", ns, "--timeout=60s");
        await Eventually.TrueAsync(() => _server.Get("test.serval.dev/v1", "Widget", ns, "alpha")?.At("metadata", "deletionTimestamp") is not null,
            "the widget to be marked for deletion");
        Assert.That(delete.Process.HasExited, Is.False, "kubectl delete returned while a finalizer was pending");

        var held = _server.Get("test.serval.dev/v1", "Widget", ns, "alpha")!;
        held.Metadata().Remove("finalizers");
        _server.Replace(held);

        await delete.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await delete.DrainAsync();
        Assert.That(delete.Process.ExitCode, Is.Zero, delete.Stderr);
        Assert.That(delete.Stdout, Does.Contain("widget.test.serval.dev \"alpha\" deleted"));
        Assert.That(_server.Get("test.serval.dev/v1", "Widget", ns, "alpha"), Is.Null);
    }

    [Test]
    public async Task Wait_ForConditionReady_ReturnsOnceStatusSaysSo()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));

        using var wait = _kubectl.Start("wait", "--for=condition=Ready", "widget/alpha", "-n", ns, "--timeout=60s");
        await Eventually.TrueAsync(() => _server.Requests.Count(r => r.Verb == "watch" && r.Resource == "widgets" && r.Namespace == ns) > 0,
            "kubectl wait to start watching");
        var widget = _server.Get("test.serval.dev/v1", "Widget", ns, "alpha")!;
        widget["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Serving", ["message"] = "ok" }),
        };
        _server.UpdateStatus(widget);

        await wait.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await wait.DrainAsync();
        Assert.That(wait.Process.ExitCode, Is.Zero, wait.Stderr);
        Assert.That(wait.Stdout, Does.Contain("widget.test.serval.dev/alpha condition met"));
    }

    [Test]
    public async Task GetWatch_StreamsChangesAsTheyHappen()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));

        using var watch = _kubectl.Start("get", "wd", "-n", ns, "--watch");
        await Eventually.TrueAsync(() => watch.Stdout.Contains("alpha", StringComparison.Ordinal), "the initial listing");
        await Eventually.TrueAsync(() => _server.Requests.Count(r => r.Verb == "watch" && r.Namespace == ns) > 0, "kubectl to open its watch");
        await MustAsync("patch", "widget", "alpha", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"model\":\"mlp-slow\"}}");

        await Eventually.TrueAsync(() => watch.Stdout.Contains("mlp-slow", StringComparison.Ordinal), "the change to stream");
        Assert.That(watch.Process.HasExited, Is.False, watch.Stderr);
    }

    [Test]
    public async Task Apply_InvalidSample_IsRefusedWithItsCelMessage()
    {
        var ns = NewNamespace();

        var result = await _kubectl.RunAsync("apply", "-n", ns, "-f", TestData.Path("widget-invalid.yaml"));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain("The Widget \"broken\" is invalid").And.Contain("spec.minReplicas must not exceed spec.replicas"));
    }

    [Test]
    public async Task Apply_UnknownField_IsRefusedByStrictFieldValidation()
    {
        var ns = NewNamespace();
        var file = Path.Combine(_directory, $"{ns}-unknown.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: test.serval.dev/v1\nkind: Widget\nmetadata:\n  name: odd\nspec:\n  model: mlp\n  colour: blue\n");

        var result = await _kubectl.RunAsync("apply", "-n", ns, "-f", file);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain("unknown field \"spec.colour\""));
    }

    [Test]
    public async Task Apply_DeploymentWithAMisspeltField_IsRefusedNamingIt()
    {
        var ns = NewNamespace();
        var file = Path.Combine(_directory, $"{ns}-typo.yaml");
        await File.WriteAllTextAsync(file, Deployment("1").Replace("replicas: 2", "replicaz: 2", StringComparison.Ordinal));

        var result = await _kubectl.RunAsync("apply", "-n", ns, "-f", file);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain("unknown field \"spec.replicaz\""));
    }

    [Test]
    public async Task CreateGenerators_SendingProtobuf_CreateNamespaceConfigMapAndSecret()
    {
        var ns = $"generated-{Interlocked.Increment(ref _namespaces)}";

        await MustAsync("create", "namespace", ns);
        await MustAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast");
        await MustAsync("create", "secret", "generic", "token", "-n", ns, "--from-literal=value=abc");
        var values = await MustAsync("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}");
        var secret = await MustAsync("get", "secret", "token", "-n", ns, "-o", "jsonpath={.type}/{.data.value}");

        Assert.That(values.Stdout, Is.EqualTo("fast"));
        Assert.That(secret.Stdout, Is.EqualTo("Opaque/YWJj"));
    }

    [Test]
    public async Task CreateDeploymentGenerator_IsRefusedNamingTheAcceptedKinds()
    {
        var result = await _kubectl.RunAsync("create", "deployment", "web", "--image=nginx", "-n", NewNamespace());

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain("protobuf is accepted for Namespace, ConfigMap, Secret, ServiceAccount only, not Deployment"));
    }

    [Test]
    public async Task DeleteNamespace_WaitsUntilItAndItsContentAreGone()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets"));

        var result = await MustAsync("delete", "namespace", ns, "--timeout=60s");

        Assert.That(result.Stdout, Does.Contain($"namespace \"{ns}\" deleted"));
        Assert.That(_server.Get("v1", "Namespace", null, ns), Is.Null);
        Assert.That(_server.List("test.serval.dev/v1", "Widget", ns), Is.Empty);
    }

    [Test]
    public async Task Scale_ThroughTheCrdScaleSubresource_SetsSpecReplicas()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));

        await MustAsync("scale", "widget", "alpha", "-n", ns, "--replicas=5");
        var replicas = await MustAsync("get", "widget", "alpha", "-n", ns, "-o", "jsonpath={.spec.replicas}");

        Assert.That(replicas.Stdout, Is.EqualTo("5"));
    }

    [Test]
    public async Task Diff_UsesServerDryRun_AndShowsOnlyRealChanges()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));
        var changed = Path.Combine(_directory, $"{ns}-alpha.yaml");
        await File.WriteAllTextAsync(changed, TestData.Read("widgets/alpha.yaml").Replace("replicas: 2", "replicas: 9", StringComparison.Ordinal));

        var same = await _kubectl.RunAsync("diff", "-n", ns, "-f", TestData.Path("widgets/alpha.yaml"));
        var different = await _kubectl.RunAsync("diff", "-n", ns, "-f", changed);

        Assert.That(same.ExitCode, Is.Zero, same.ToString());
        Assert.That(different.ExitCode, Is.EqualTo(1), different.ToString());
        Assert.That(different.Stdout, Does.Contain("+  replicas: 9"));
        Assert.That(_server.Get("test.serval.dev/v1", "Widget", ns, "alpha")!["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task AuthCanI_IsAlwaysYes_BecauseRbacIsNotEnforced()
    {
        var result = await MustAsync("auth", "can-i", "delete", "widgets", "-n", NewNamespace());

        Assert.That(result.Stdout.Trim(), Is.EqualTo("yes"));
    }

    [Test]
    public async Task ApiResources_ListsTheCustomResourceWithItsShortName()
    {
        var result = await MustAsync("api-resources", "--api-group", "test.serval.dev");

        Assert.That(result.Stdout, Does.Match(@"widgets\s+wd\s+test\.serval\.dev/v1\s+true\s+Widget"));
    }

    [Test]
    public async Task Apply_DeploymentTwiceThenChanged_IsUnchangedThenConfiguredWithMergedContainers()
    {
        var ns = NewNamespace();
        var file = Path.Combine(_directory, $"{ns}-deploy.yaml");
        await File.WriteAllTextAsync(file, Deployment("1"));
        await MustAsync("apply", "-n", ns, "-f", file);
        var unchanged = await MustAsync("apply", "-n", ns, "-f", file);
        await File.WriteAllTextAsync(file, Deployment("2"));

        var configured = await MustAsync("apply", "-n", ns, "-f", file);
        var env = await MustAsync("get", "deploy", "web", "-n", ns, "-o",
            "jsonpath={.spec.template.spec.containers[0].env[0].value}/{.spec.template.spec.containers[0].ports[0].protocol}/{.metadata.generation}");

        Assert.That(unchanged.Stdout, Does.Contain("deployment.apps/web unchanged"));
        Assert.That(configured.Stdout, Does.Contain("deployment.apps/web configured"));
        Assert.That(env.Stdout, Is.EqualTo("2/TCP/2"));
    }

    [Test]
    public async Task Get_Deployments_ShowsReadyAndUpToDateColumns()
    {
        var ns = NewNamespace();
        var file = Path.Combine(_directory, $"{ns}-deploy.yaml");
        await File.WriteAllTextAsync(file, Deployment("1"));
        await MustAsync("apply", "-n", ns, "-f", file);

        var table = await MustAsync("get", "deployments", "-n", ns);

        Assert.That(table.Stdout, Does.Match(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+web\s+0/2\s+0\s+0\s+\d+s"));
    }

    [Test]
    public async Task GatewayApiHttpRouteCrd_InstallsAndServesWeightedRoutes()
    {
        var ns = NewNamespace();
        await MustAsync("apply", "-f", Repository.Path("samples/crds/gateway-api-httproute.yaml"));
        var route = Path.Combine(_directory, $"{ns}-route.yaml");
        await File.WriteAllTextAsync(route, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: mlp
            spec:
              parentRefs: [{name: serval-gateway}]
              hostnames: [mlp.example.com]
              rules:
              - backendRefs:
                - {name: mlp-stable, port: 8080, weight: 80}
                - {name: mlp-canary, port: 8080, weight: 20}
            """);

        await MustAsync("apply", "-n", ns, "-f", route);
        var weights = await MustAsync("get", "httproute", "mlp", "-n", ns, "-o",
            "jsonpath={.spec.rules[0].backendRefs[*].weight} {.spec.rules[0].matches[0].path.value} {.spec.parentRefs[0].kind}");

        Assert.That(weights.Stdout, Is.EqualTo("80 20 / Gateway"));
    }

    private async Task<KubectlResult> MustAsync(params string[] args)
    {
        var result = await _kubectl.RunAsync(args);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }

    private string NewNamespace()
    {
        var name = $"kubectl-{Interlocked.Increment(ref _namespaces)}";
        _server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }

    private static string Deployment(string envValue) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {"{"}app: web{"}"}
          template:
            metadata:
              labels: {"{"}app: web{"}"}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                ports:
                - containerPort: 80
                env:
                - name: MODE
                  value: "{envValue}"
        """;
}
