using k8s.Models;
using Serval.LocalCluster.Local.Processes;

namespace Serval.LocalCluster.Tests.Local;

public sealed class WorkerCommandTests
{
    private static readonly Dictionary<string, string> Mounts = new()
    {
        ["/var/run/serval/model"] = "/state/volumes/p/model",
        ["/var/run"] = "/state/volumes/p/run",
    };

    [Test]
    public void For_PortArgument_IsReplacedByThePodsPort()
    {
        var command = WorkerCommand.For(Container("--name", "mlp", "--port", "8080"), 41234, Mounts, new Dictionary<string, string>());

        Assert.That(command.Arguments, Is.EqualTo(new[] { "--name", "mlp", "--port", "41234", "--host", "127.0.0.1" }));
    }

    [Test]
    public void For_NoPortArgument_AppendsThePodsPort()
    {
        var command = WorkerCommand.For(Container("--port=9000"), 41234, Mounts, new Dictionary<string, string>());

        Assert.That(command.Arguments, Is.EqualTo(new[] { "--port=41234", "--host", "127.0.0.1" }));
    }

    [Test]
    public void For_PathUnderTheLongestMountPath_PointsAtTheLocalDirectory()
    {
        var command = WorkerCommand.For(
            Container("--model", "/var/run/serval/model/mlp.onnx", "--auth-token-file=/var/run/auth/token"),
            null,
            Mounts,
            new Dictionary<string, string> { ["TMPDIR"] = "/var/run/serval/model", ["OTHER"] = "/var/running" });

        Assert.That(command.Arguments[1], Is.EqualTo("/state/volumes/p/model/mlp.onnx"));
        Assert.That(command.Arguments[2], Is.EqualTo("--auth-token-file=/state/volumes/p/run/auth/token"));
        Assert.That(command.Environment["TMPDIR"], Is.EqualTo("/state/volumes/p/model"));
        Assert.That(command.Environment["OTHER"], Is.EqualTo("/var/running"));
    }

    [Test]
    public void For_HostArgument_IsForcedToLoopback()
    {
        var command = WorkerCommand.For(Container("--host", "0.0.0.0"), null, Mounts, new Dictionary<string, string>());

        Assert.That(command.Arguments, Is.EqualTo(new[] { "--host", "127.0.0.1" }));
    }

    private static V1Container Container(params string[] args) => new() { Name = "worker", Args = args };
}
