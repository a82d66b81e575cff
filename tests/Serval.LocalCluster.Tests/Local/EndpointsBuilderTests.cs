using k8s.Models;
using Serval.LocalCluster.Local.Endpoints;

namespace Serval.LocalCluster.Tests.Local;

public sealed class EndpointsBuilderTests
{
    [Test]
    public void Build_PodsOnTheirOwnPorts_GetOneSubsetAndSliceEach()
    {
        var (endpoints, slices) = EndpointsBuilder.Build(Service("http"), [Pod("a", 41001, ready: true), Pod("b", 41002, ready: false)]);

        Assert.That(endpoints.Subsets.Select(s => s.Ports.Single().Port), Is.EquivalentTo(new[] { 41001, 41002 }));
        Assert.That(endpoints.Subsets.Single(s => s.Ports[0].Port == 41001).Addresses.Single().TargetRef.Name, Is.EqualTo("a"));
        Assert.That(endpoints.Subsets.Single(s => s.Ports[0].Port == 41002).NotReadyAddresses.Single().TargetRef.Name, Is.EqualTo("b"));
        Assert.That(slices, Has.Count.EqualTo(2));
        Assert.That(slices.Select(s => s.Metadata.Labels[EndpointsBuilder.ServiceNameLabel]), Is.All.EqualTo("svc"));
        Assert.That(slices.Single(s => s.Ports[0].Port == 41002).Endpoints.Single().Conditions.Ready, Is.False);
    }

    [Test]
    public void ResolvePort_NumberThePodNoLongerDeclares_IsItsHttpPort()
    {
        Assert.That(EndpointsBuilder.ResolvePort(Pod("a", 41001, ready: true), new V1ServicePort { Port = 80, TargetPort = 8080 }), Is.EqualTo(41001));
    }

    [Test]
    public void Build_PodBeingDeleted_IsLeftOut()
    {
        var pod = Pod("gone", 41003, ready: true);
        pod.Metadata.DeletionTimestamp = DateTime.UtcNow;

        var (endpoints, slices) = EndpointsBuilder.Build(Service("http"), [pod]);

        Assert.That(endpoints.Subsets, Is.Empty);
        Assert.That(slices, Is.Empty);
    }

    private static V1Service Service(string targetPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "default", Uid = "svc-uid" },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "x" },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = targetPort }],
        },
    };

    private static V1Pod Pod(string name, int port, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name + "-uid", Labels = new Dictionary<string, string> { ["app"] = "x" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Ports = [new V1ContainerPort { Name = "http", ContainerPort = port }] }] },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "127.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
