using Serval.Worker.Cli;

namespace Serval.Worker.Tests.Cli;

public sealed class WorkerOptionsValidatorTests
{
    private static readonly WorkerOptions Valid = new() { Model = "m.onnx" };

    [Test]
    public void Validate_Defaults_Pass()
    {
        Assert.That(() => WorkerOptionsValidator.Validate(Valid), Throws.Nothing);
    }

    [Test]
    public void Validate_OutOfRange_NamesTheOptionAndValue()
    {
        Assert.That(() => WorkerOptionsValidator.Validate(Valid with { MaxBatchSize = 0 }),
            Throws.ArgumentException.With.Message.StartsWith("WorkerOptions.MaxBatchSize is '0'; it must be at least 1"));
    }

    [Test]
    public void Validate_HostName_IsRefused()
    {
        Assert.That(() => WorkerOptionsValidator.Validate(Valid with { Host = "example.com" }),
            Throws.ArgumentException.With.Message.StartsWith("WorkerOptions.Host is 'example.com'; it must be an IP address"));
    }
}
