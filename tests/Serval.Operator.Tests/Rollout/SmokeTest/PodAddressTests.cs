using k8s.Models;
using Serval.Operator.Rollout.SmokeTest;

namespace Serval.Operator.Tests.Rollout.SmokeTest;

public sealed class PodAddressTests
{
    private static V1Pod Pod(string name, string? ip, bool ready, int port = 8080, string portName = "http") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "worker", Ports = [new V1ContainerPort { Name = portName, ContainerPort = port }] }],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    [Test]
    public void FirstReady_SkipsPodsThatAreNotReady()
    {
        var address = PodAddress.FirstReady([Pod("a", "10.0.0.1", ready: false), Pod("b", "10.0.0.2", ready: true, port: 9000)]);

        Assert.That(address, Is.EqualTo(new Uri("http://10.0.0.2:9000/")));
    }

    [Test]
    public void FirstReady_NoneReady_IsNull()
    {
        Assert.That(PodAddress.FirstReady([Pod("a", "10.0.0.1", ready: false)]), Is.Null);
    }

    [Test]
    public void Of_WithoutAnHttpPort_IsNull()
    {
        Assert.That(PodAddress.Of(Pod("a", "10.0.0.1", ready: true, portName: "metrics")), Is.Null);
    }

    [Test]
    public void Of_Ipv6_IsBracketed()
    {
        Assert.That(PodAddress.Of(Pod("a", "fd00::1", ready: true)), Is.EqualTo(new Uri("http://[fd00::1]:8080/")));
    }
}
