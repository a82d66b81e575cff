using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Serval.Controllers.Kubernetes;
using Serval.LocalCluster.Local.Processes;
using Serval.LocalCluster.Local.Workloads;
using Serval.LocalCluster.Tests.TestSupport;

namespace Serval.LocalCluster.Tests.Local;

/// <summary>Deployments run as real worker processes by the local controllers.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DeploymentProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private LocalClusterFixture _cluster = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cluster = await LocalClusterFixture.StartAsync();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task Deployment_BecomesAvailable_WithReadyPodsAnsweringInferenceOnTheirOwnPorts()
    {
        await _cluster.Api.CreateAsync(WorkerDeployments.Build("answers", replicas: 2), CancellationToken.None);

        var deployment = await WaitForDeploymentAsync("answers", d => d.Status?.AvailableReplicas == 2);
        var pods = await PodsAsync("answers");

        Assert.That(deployment.Status.Conditions?.Single(c => c.Type == "Available").Reason, Is.EqualTo("MinimumReplicasAvailable"));
        Assert.That(pods.Select(p => p.Status.PodIP), Is.All.EqualTo("127.0.0.1"));
        var ports = pods.Select(p => LocalPorts.HttpPort(p)!.Value).ToList();
        Assert.That(ports, Is.Unique.And.None.EqualTo(8080));
        await _cluster.Api.CreateAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "answers", NamespaceProperty = "default" },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = "answers" },
                    Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }],
                },
            },
            CancellationToken.None);
        var endpoints = await Eventually.ValueAsync(
            () => _cluster.Api.GetAsync<V1Endpoints>("default", "answers", CancellationToken.None).GetAwaiter().GetResult(),
            e => e?.Subsets?.Sum(s => s.Addresses?.Count ?? 0) == 2,
            "Endpoints with both pods",
            Timeout);
        Assert.That(endpoints!.Subsets.SelectMany(s => s.Ports).Select(p => p.Port), Is.EquivalentTo(ports));
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Path("samples/requests/mlp.json")));
        foreach (var port in ports)
        {
            using var response = await _http.PostAsJsonAsync(new Uri($"http://127.0.0.1:{port}/v2/models/mlp/infer"), request);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"infer on port {port}");
        }
    }

    [Test]
    public async Task Deployment_ScaledUpThenDown_RunsThatManyWorkers()
    {
        await _cluster.Api.CreateAsync(WorkerDeployments.Build("scaled", replicas: 1), CancellationToken.None);
        await WaitForDeploymentAsync("scaled", d => d.Status?.ReadyReplicas == 1);

        await ScaleAsync("scaled", 2);
        await WaitForDeploymentAsync("scaled", d => d.Status?.ReadyReplicas == 2 && d.Status.Replicas == 2);
        await ScaleAsync("scaled", 1);
        await WaitForDeploymentAsync("scaled", d => d.Status?.Replicas == 1 && d.Status.ReadyReplicas == 1);

        var pods = await PodsAsync("scaled");
        Assert.That(pods, Has.Count.EqualTo(1));
        Assert.That(pods.Select(p => _cluster.Controllers.Kubelet.FindByUid(p.Metadata.Uid)?.Process), Is.All.Not.Null);
    }

    [Test]
    public async Task RollingUpdate_WithMaxUnavailableZero_NeverHasFewerReadyPodsThanDesired()
    {
        await _cluster.Api.CreateAsync(WorkerDeployments.Build("rolling", replicas: 1), CancellationToken.None);
        await WaitForDeploymentAsync("rolling", d => d.Status?.AvailableReplicas == 1 && d.Status.UpdatedReplicas == 1);

        var changed = await _cluster.Api.GetAsync<V1Deployment>("default", "rolling", CancellationToken.None);
        changed!.Spec.Template.Spec.Containers[0].Env = [new V1EnvVar { Name = "REVISION", Value = "2" }];
        await _cluster.Api.ReplaceAsync(changed, CancellationToken.None);

        var fewestReady = int.MaxValue;
        var newHash = PodTemplateHash.Compute(changed.Spec.Template);
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var pods = await PodsAsync("rolling");
            fewestReady = Math.Min(fewestReady, pods.Count(PodState.IsReady));
            if (pods.Count == 1 && pods.All(p => p.Metadata.Labels[PodTemplateHash.Label] == newHash && PodState.IsReady(p)))
            {
                break;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "rollout did not finish");
            await Task.Delay(20);
        }

        Assert.That(fewestReady, Is.GreaterThanOrEqualTo(1));
        var done = await WaitForDeploymentAsync("rolling", d => d.Status?.UpdatedReplicas == 1 && d.Status.Replicas == 1);
        Assert.That(done.Status.Conditions?.Single(c => c.Type == "Progressing").Reason, Is.EqualTo("NewReplicaSetAvailable"));
    }

    [Test]
    public async Task CrashingWorker_IsRestartedWithItsExitCodeAndLastLogLinesInTheStatus()
    {
        await _cluster.Api.CreateAsync(
            WorkerDeployments.Build("crashing", replicas: 1, model: "/var/run/serval/model/missing.onnx"), CancellationToken.None);

        var pod = await Eventually.ValueAsync(
            () => PodsAsync("crashing").GetAwaiter().GetResult().FirstOrDefault(),
            p => p?.Status?.ContainerStatuses?.FirstOrDefault() is { RestartCount: >= 1, LastState.Terminated: not null },
            "a restarted crashing pod",
            Timeout);

        var terminated = pod!.Status.ContainerStatuses[0].LastState.Terminated;
        Assert.That(terminated.ExitCode, Is.Not.Zero);
        Assert.That(terminated.Message, Does.Contain("missing.onnx"));
        Assert.That(File.Exists(Path.Combine(_cluster.StateDirectory, "logs", pod.Metadata.Name + ".log")), Is.True);
    }

    [Test]
    public async Task DeletedDeployment_LeavesNoWorkerProcess()
    {
        await _cluster.Api.CreateAsync(WorkerDeployments.Build("deleted", replicas: 1), CancellationToken.None);
        await WaitForDeploymentAsync("deleted", d => d.Status?.ReadyReplicas == 1);
        var pids = (await PodsAsync("deleted")).Select(p => _cluster.Controllers.Kubelet.FindByUid(p.Metadata.Uid)!.Process!.Id).ToList();

        await _cluster.Api.DeleteAsync<V1Deployment>("default", "deleted", CancellationToken.None);

        await Eventually.TrueAsync(() => PodsAsync("deleted").GetAwaiter().GetResult().Count == 0, "pods to be collected", Timeout);
        await Eventually.TrueAsync(() => pids.All(IsGone), "worker processes to exit", Timeout);
        Assert.That(_cluster.Controllers.Kubelet.ProcessIds().Intersect(pids), Is.Empty);
    }

    [Test]
    public async Task PodAskingForAGpu_StaysPendingUnschedulable()
    {
        var deployment = WorkerDeployments.Build("gpu", replicas: 1);
        deployment.Spec.Template.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
        };
        await _cluster.Api.CreateAsync(deployment, CancellationToken.None);

        var pod = await Eventually.ValueAsync(
            () => PodsAsync("gpu").GetAwaiter().GetResult().FirstOrDefault(),
            p => p?.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true,
            "the gpu pod to be judged",
            Timeout);

        var scheduled = pod!.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.That(pod.Status.Phase, Is.EqualTo("Pending"));
        Assert.That(scheduled.Status, Is.EqualTo("False"));
        Assert.That(scheduled.Reason, Is.EqualTo("Unschedulable"));
        Assert.That(scheduled.Message, Is.EqualTo("0/1 nodes are available: 1 Insufficient nvidia.com/gpu."));
        Assert.That(_cluster.Controllers.Kubelet.FindByUid(pod.Metadata.Uid), Is.Null);
    }

    private static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private async Task ScaleAsync(string name, int replicas) =>
        await _cluster.Api.PatchAsync<V1Deployment>(
            "default", name, new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch), CancellationToken.None);

    private async Task<List<V1Pod>> PodsAsync(string app)
    {
        var page = await _cluster.Api.ListAsync<V1Pod>("default", new ListOptions { LabelSelector = $"app={app}" }, CancellationToken.None);
        return [.. page.Items];
    }

    private async Task<V1Deployment> WaitForDeploymentAsync(string name, Func<V1Deployment, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        V1Deployment? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await _cluster.Api.GetAsync<V1Deployment>("default", name, CancellationToken.None);
            if (last is not null && last.Metadata.Generation == last.Status?.ObservedGeneration && done(last))
            {
                return last;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"deployment {name} did not get there; status: {k8s.KubernetesJson.Serialize(last?.Status)}");
        return last!;
    }
}
