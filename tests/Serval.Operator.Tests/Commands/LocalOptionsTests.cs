using Serval.Operator.Commands;

namespace Serval.Operator.Tests.Commands;

public sealed class LocalOptionsTests
{
    [Test]
    public void Parse_NoFlags_UsesAFreePortAndDotServal()
    {
        var options = LocalCommand.LocalOptions.Parse([]);

        Assert.That(options, Is.EqualTo(new LocalCommand.LocalOptions(0, ".serval", [])).Using<LocalCommand.LocalOptions>(Same));
    }

    [Test]
    public void Parse_AllFlags_ReadsEachValue()
    {
        var options = LocalCommand.LocalOptions.Parse(["--port", "6443", "--state-dir=/tmp/x", "--apply", "a.yaml", "b.yaml", "--apply=c.yaml"]);

        Assert.That(options.Port, Is.EqualTo(6443));
        Assert.That(options.StateDirectory, Is.EqualTo("/tmp/x"));
        Assert.That(options.ApplyFiles, Is.EqualTo(new[] { "a.yaml", "b.yaml", "c.yaml" }));
    }

    [TestCase("--port", "abc")]
    [TestCase("--port", "70000")]
    [TestCase("--port", "-1")]
    public void Parse_BadPort_NamesTheFlagAndValue(string flag, string value)
    {
        var error = Assert.Throws<FormatException>(() => LocalCommand.LocalOptions.Parse([flag, value]));

        Assert.That(error!.Message, Does.StartWith($"--port {value}:"));
    }

    [Test]
    public void Parse_FlagWithoutValue_SaysWhichFlag()
    {
        var error = Assert.Throws<FormatException>(() => LocalCommand.LocalOptions.Parse(["--state-dir"]));

        Assert.That(error!.Message, Is.EqualTo("flag --state-dir needs a value"));
    }

    [Test]
    public void Parse_UnknownFlag_NamesIt()
    {
        var error = Assert.Throws<FormatException>(() => LocalCommand.LocalOptions.Parse(["--verbose"]));

        Assert.That(error!.Message, Does.StartWith("unknown flag \"--verbose\""));
    }

    private static bool Same(LocalCommand.LocalOptions a, LocalCommand.LocalOptions b) =>
        a.Port == b.Port && a.StateDirectory == b.StateDirectory && a.ApplyFiles.SequenceEqual(b.ApplyFiles);
}
