using System.Net;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Events;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Tests.Fakes;

namespace Serval.Controllers.Tests.Events;

public sealed class EventRecorderTests
{
    private FakeKubernetesApi _api = null!;
    private FakeTimeProvider _time = null!;
    private EventRecorder _recorder = null!;

    private static readonly V1Deployment Regarding = new()
    {
        Metadata = new V1ObjectMeta { Name = "resnet", NamespaceProperty = "ml", Uid = "uid-1" },
    };

    [SetUp]
    public void SetUp()
    {
        _api = new FakeKubernetesApi();
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _recorder = new EventRecorder(_api, new EventRecorderOptions { ReportingInstance = "op-0" }, _time);
    }

    private string[] Verbs() => [.. _api.Writes.Select(w => w.Verb)];

    [Test]
    public async Task RecordAsync_FirstOccurrence_CreatesAnEventAboutTheObject()
    {
        await _recorder.NormalAsync(Regarding, "ScaledUp", "Scale", "2 -> 3 replicas", CancellationToken.None);

        var created = (Eventsv1Event)_api.Writes.Single().Body;
        Assert.That(
            (created.Metadata.NamespaceProperty, created.Type, created.Reason, created.Action, created.Note),
            Is.EqualTo(("ml", "Normal", "ScaledUp", "Scale", "2 -> 3 replicas")));
        Assert.That(
            (created.Regarding.Kind, created.Regarding.ApiVersion, created.Regarding.Name, created.Regarding.Uid),
            Is.EqualTo(("Deployment", "apps/v1", "resnet", "uid-1")));
        Assert.That((created.ReportingController, created.ReportingInstance), Is.EqualTo(("serval-operator", "op-0")));
        Assert.That(created.Metadata.Name, Does.StartWith("resnet."));
    }

    [Test]
    public async Task RecordAsync_Repeats_IncrementTheSeriesOfTheFirstEvent()
    {
        await _recorder.WarningAsync(Regarding, "ProbeFailed", "Probe", "not ready", CancellationToken.None);
        var name = ((Eventsv1Event)_api.Writes.Single().Body).Metadata.Name;

        _time.Advance(TimeSpan.FromSeconds(10));
        await _recorder.WarningAsync(Regarding, "ProbeFailed", "Probe", "not ready", CancellationToken.None);
        await _recorder.WarningAsync(Regarding, "ProbeFailed", "Probe", "not ready", CancellationToken.None);

        Assert.That(Verbs(), Is.EqualTo(new[] { "create", "patch", "patch" }));
        var (ns, patchedName, patch) = ((string?, string, V1Patch))_api.Writes.Last().Body;
        Assert.That((ns, patchedName), Is.EqualTo(("ml", name)));
        Assert.That(patch.Type, Is.EqualTo(V1Patch.PatchType.MergePatch));
        Assert.That((string)patch.Content, Is.EqualTo("{\"series\":{\"count\":3,\"lastObservedTime\":\"2025-01-01T00:00:10.000000Z\"}}"));
    }

    [Test]
    public async Task RecordAsync_DifferentNote_IsANewEvent()
    {
        await _recorder.NormalAsync(Regarding, "ScaledUp", "Scale", "2 -> 3 replicas", CancellationToken.None);
        await _recorder.NormalAsync(Regarding, "ScaledUp", "Scale", "3 -> 4 replicas", CancellationToken.None);

        Assert.That(Verbs(), Is.EqualTo(new[] { "create", "create" }));
    }

    [Test]
    public async Task RecordAsync_AfterTheDedupWindow_IsANewEvent()
    {
        await _recorder.NormalAsync(Regarding, "ScaledUp", "Scale", "2 -> 3", CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(10));
        await _recorder.NormalAsync(Regarding, "ScaledUp", "Scale", "2 -> 3", CancellationToken.None);

        Assert.That(Verbs(), Is.EqualTo(new[] { "create", "create" }));
    }

    [Test]
    public async Task RecordAsync_ServerFails_DoesNotThrow()
    {
        _api.NextWriteError = new KubernetesApiException("create events failed: 500", HttpStatusCode.InternalServerError, null, null);

        await _recorder.NormalAsync(Regarding, "ScaledUp", "Scale", "2 -> 3", CancellationToken.None);

        Assert.That(_api.Writes, Is.Empty);
    }

    [Test]
    public async Task RecordAsync_ReasonWithSpaces_NamesTheField()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _recorder.NormalAsync(Regarding, "scaled up", "Scale", "", CancellationToken.None));

        Assert.That(error!.ParamName, Is.EqualTo("reason"));
    }
}
