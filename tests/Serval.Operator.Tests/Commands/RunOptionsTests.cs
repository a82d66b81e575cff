using Serval.Operator.Commands;

namespace Serval.Operator.Tests.Commands;

public sealed class RunOptionsTests
{
    [Test]
    public void Parse_NoFlags_WatchesAllNamespacesWithLeaderElection()
    {
        var options = RunOptions.Parse([]);

        Assert.That((options.Namespace, options.LeaderElect, options.MetricsPort, options.MaxConcurrentReconciles), Is.EqualTo(((string?)null, true, 8081, 4)));
    }

    [Test]
    public void Parse_AllFlags()
    {
        var options = RunOptions.Parse(["--kubeconfig", "/k", "--namespace=ml", "--metrics-port", "9090", "--leader-elect", "false", "--max-concurrent-reconciles", "16"]);

        Assert.That(options, Is.EqualTo(new RunOptions("/k", "ml", 9090, false, null, 16)));
    }

    [Test]
    public void Parse_WorkerImage()
    {
        Assert.That(RunOptions.Parse(["--worker-image", "registry.example/serval-worker:2"]).WorkerImage, Is.EqualTo("registry.example/serval-worker:2"));
    }

    [Test]
    public void Parse_MemoryTrim_DefaultsToTrue_AndRefusesAnythingButABoolean()
    {
        var error = Assert.Throws<FormatException>(() => RunOptions.Parse(["--memory-trim", "sometimes"]));

        Assert.Multiple(() =>
        {
            Assert.That(RunOptions.Parse([]).MemoryTrim, Is.True);
            Assert.That(RunOptions.Parse(["--memory-trim=false"]).MemoryTrim, Is.False);
            Assert.That(error!.Message, Is.EqualTo("--memory-trim sometimes: must be true or false"));
        });
    }

    [Test]
    public void Parse_ScaleDirectly_DefaultsToTrue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RunOptions.Parse([]).ScaleDirectly, Is.True);
            Assert.That(RunOptions.Parse(["--scale-directly", "false"]).ScaleDirectly, Is.False);
            Assert.That(RunOptions.Parse(["--scale-directly=true"]).ScaleDirectly, Is.True);
        });
    }

    [TestCase("--scale-directly", "sometimes", "--scale-directly sometimes")]
    [TestCase("--metrics-port", "70000", "--metrics-port 70000")]
    [TestCase("--worker-image", "a b", "--worker-image \"a b\"")]
    [TestCase("--leader-elect", "maybe", "--leader-elect maybe")]
    [TestCase("--max-concurrent-reconciles", "0", "--max-concurrent-reconciles 0")]
    public void Parse_BadValue_NamesTheFlagAndValue(string flag, string value, string expected) =>
        Assert.That(() => RunOptions.Parse([flag, value]), Throws.TypeOf<FormatException>().With.Message.Contains(expected));

    [Test]
    public async Task Run_UnknownFlag_ExitsWith2()
    {
        var stderr = new StringWriter();

        var code = await RunCommand.RunAsync(["--bogus"], stderr, CancellationToken.None);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Does.Contain("unknown flag \"--bogus\""));
    }
}
