using k8s;
using k8s.Models;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Client;

/// <summary>KubernetesClient against the server: create, read, list, replace, delete, and the errors a real server gives.</summary>
[TestFixture]
public sealed class CrudTests
{
    private EmbeddedApiServer _server = null!;
    private Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions());
        _client = new Kubernetes(_server.ClientConfiguration());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Create_SetsUidCreationTimestampAndResourceVersion()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("created"), "default");

        Assert.That(created.Metadata.Uid, Is.Not.Empty);
        Assert.That(created.Metadata.CreationTimestamp, Is.Not.Null);
        Assert.That(long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
    }

    [Test]
    public async Task Get_ReturnsWhatWasCreated()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("read", ("k", "v")), "default");

        var read = await _client.CoreV1.ReadNamespacedConfigMapAsync("read", "default");

        Assert.That(read.Data["k"], Is.EqualTo("v"));
    }

    [Test]
    public async Task Create_Twice_IsAlreadyExists()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default");

        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default"));

        Assert.That(code, Is.EqualTo(409));
        Assert.That(status.Reason(), Is.EqualTo("AlreadyExists"));
        Assert.That(status["message"]!.GetValue<string>(), Is.EqualTo("configmaps \"twice\" already exists"));
    }

    [Test]
    public async Task Get_Missing_IsNotFound()
    {
        var (code, status) = await ApiErrors.CatchAsync(() => _client.AppsV1.ReadNamespacedDeploymentAsync("missing", "default"));

        Assert.That(code, Is.EqualTo(404));
        Assert.That(status.Reason(), Is.EqualTo("NotFound"));
        Assert.That(status["message"]!.GetValue<string>(), Is.EqualTo("deployments.apps \"missing\" not found"));
    }

    [Test]
    public async Task Replace_WithStaleResourceVersion_IsConflict()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("stale", ("k", "1")), "default");
        created.Data["k"] = "2";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "stale", "default");
        created.Data["k"] = "3";

        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "stale", "default"));

        Assert.That(code, Is.EqualTo(409));
        Assert.That(status.Reason(), Is.EqualTo("Conflict"));
    }

    [Test]
    public async Task Replace_WithCurrentResourceVersion_BumpsIt()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("current", ("k", "1")), "default");
        created.Data["k"] = "2";

        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "current", "default");

        Assert.That(long.Parse(replaced.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture),
            Is.GreaterThan(long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(replaced.Data["k"], Is.EqualTo("2"));
    }

    [Test]
    public async Task Replace_WithNoChange_KeepsTheResourceVersion()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("noop", ("k", "1")), "default");

        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "noop", "default");

        Assert.That(replaced.Metadata.ResourceVersion, Is.EqualTo(created.Metadata.ResourceVersion));
    }

    [Test]
    public async Task Delete_RemovesTheObject()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("deleted"), "default");

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("deleted", "default");

        var (code, _) = await ApiErrors.CatchAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("deleted", "default"));
        Assert.That(code, Is.EqualTo(404));
    }

    [Test]
    public async Task Create_InNamespaceThatDoesNotExist_IsNotFound()
    {
        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("lost"), "nowhere"));

        Assert.That(code, Is.EqualTo(404));
        Assert.That(status["message"]!.GetValue<string>(), Is.EqualTo("namespaces \"nowhere\" not found"));
    }

    [Test]
    public async Task Create_DeploymentWhoseSelectorMissesTheTemplate_IsInvalidWithAFieldCause()
    {
        var deployment = Workloads.Deployment("mismatch");
        deployment.Spec.Selector.MatchLabels["app"] = "other";

        var (code, status) = await ApiErrors.CatchAsync(() => _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default"));

        Assert.That(code, Is.EqualTo(422));
        Assert.That(status.Reason(), Is.EqualTo("Invalid"));
        Assert.That(status["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("spec.template.metadata.labels"));
    }

    [Test]
    public async Task Create_BadName_IsInvalidNamingTheField()
    {
        var (code, status) = await ApiErrors.CatchAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Bad_Name"), "default"));

        Assert.That(code, Is.EqualTo(422));
        Assert.That(status["message"]!.GetValue<string>(), Does.StartWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\""));
    }

    [Test]
    public async Task Create_WithGenerateName_GetsAUniqueName()
    {
        var first = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, "default");
        var second = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, "default");

        Assert.That(first.Metadata.Name, Does.StartWith("gen-").And.Length.EqualTo(9));
        Assert.That(second.Metadata.Name, Is.Not.EqualTo(first.Metadata.Name));
    }

    [Test]
    public async Task Create_Service_AllocatesAClusterIpAndDefaultsTargetPort()
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "svc" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80 }] },
        };

        var created = await _client.CoreV1.CreateNamespacedServiceAsync(service, "default");

        Assert.That(created.Spec.ClusterIP, Does.StartWith("10.96."));
        Assert.That(created.Spec.Ports[0].TargetPort.Value, Is.EqualTo("80"));
        Assert.That(created.Spec.Ports[0].Protocol, Is.EqualTo("TCP"));
    }

    [Test]
    public async Task Secret_StringData_IsStoredAsBase64Data()
    {
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["token"] = "abc" } };

        var created = await _client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        Assert.That(System.Text.Encoding.UTF8.GetString(created.Data["token"]), Is.EqualTo("abc"));
        Assert.That(created.StringData, Is.Null);
    }

    [Test]
    public async Task EventsV1Event_IsReadableAsACoreEvent()
    {
        var recorded = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "mlp.1" },
            EventTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Regarding = new V1ObjectReference { Kind = "InferenceService", Name = "mlp", NamespaceProperty = "default" },
            Note = "revision mlp-abc is ready",
            Reason = "RevisionReady",
            Type = "Normal",
            Action = "Reconcile",
            ReportingController = "serval.dev/operator",
            ReportingInstance = "serval-operator-0",
        };
        await _client.EventsV1.CreateNamespacedEventAsync(recorded, "default");

        var core = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=mlp");

        Assert.That(core.Items.Select(e => (e.Message, e.Reason, e.InvolvedObject.Kind, e.ReportingComponent)),
            Is.EqualTo(new[] { ("revision mlp-abc is ready", "RevisionReady", "InferenceService", "serval.dev/operator") }));
    }

    [Test]
    public async Task CoreEvent_IsReadableAsAnEventsV1Event()
    {
        var core = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1" },
            InvolvedObject = new V1ObjectReference { Kind = "Deployment", Name = "web", NamespaceProperty = "default" },
            Message = "scaled up",
            Reason = "ScalingReplicaSet",
            Type = "Normal",
            Count = 3,
        };
        await _client.CoreV1.CreateNamespacedEventAsync(core, "default");

        var read = await _client.EventsV1.ReadNamespacedEventAsync("web.1", "default");

        Assert.That((read.Note, read.Regarding.Name, read.DeprecatedCount), Is.EqualTo(("scaled up", "web", 3)));
    }

    private static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = data.ToDictionary(d => d.Key, d => d.Value),
    };
}
