using Serval.SampleModels;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Samples;

public sealed class SampleFilesTests
{
    private static IEnumerable<string> Names => SampleModels.SampleModels.Catalog.Select(m => m.Name);

    [TestCaseSource(nameof(Names))]
    public void CheckedInModel_EqualsGeneratorOutput(string name)
    {
        var model = SampleModels.SampleModels.Catalog.Single(m => m.Name == name);
        var path = SampleWriter.ModelPath(RepositoryPaths.Combine("samples"), name);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(model.Build()), $"{path} is stale: run `make models`");
    }

    [TestCaseSource(nameof(Names))]
    public void CheckedInRequest_EqualsGeneratorOutput(string name)
    {
        var path = SampleWriter.RequestPath(RepositoryPaths.Combine("samples"), name);

        Assert.That(File.ReadAllText(path), Is.EqualTo(SampleRequests.Json(name)), $"{path} is stale: run `make models`");
    }

    [Test]
    public void Generator_IsDeterministic()
    {
        var first = SampleModels.SampleModels.MlpSlow();
        var second = SampleModels.SampleModels.MlpSlow();

        Assert.That(second, Is.EqualTo(first));
    }

    [TestCaseSource(nameof(Names))]
    public void SampleModel_ComputesItsDeclaredWeights(string name)
    {
        var model = SampleModels.SampleModels.Catalog.Single(m => m.Name == name);
        var input = SampleRequests.Input();

        var actual = DirectSession.RunFloat(model.Build(), "input", input, [SampleRequests.Rows, MlpWeights.InputSize], "output");

        Assert.That(actual, Is.EqualTo(model.Weights().Forward(input)).Within(1e-5f));
    }

    [Test]
    public void MlpSlow_AnswersBitForBitLikeMlp()
    {
        var input = SampleRequests.Input();
        long[] shape = [SampleRequests.Rows, MlpWeights.InputSize];

        var slow = DirectSession.RunFloat(SampleModels.SampleModels.MlpSlow(), "input", input, shape, "output");
        var fast = DirectSession.RunFloat(SampleModels.SampleModels.Mlp(), "input", input, shape, "output");

        Assert.That(slow, Is.EqualTo(fast));
    }

    [Test]
    public void MlpV2_StaysCloseToMlp_AndMlpWrong_DoesNot()
    {
        var input = SampleRequests.Input();
        var v1 = SampleModels.SampleModels.MlpWeightsV1().Forward(input);
        var v2 = SampleModels.SampleModels.MlpWeightsV2().Forward(input);
        var wrong = SampleModels.SampleModels.MlpWeightsWrong().Forward(input);

        Assert.Multiple(() =>
        {
            Assert.That(v2, Is.EqualTo(v1).Within(0.1f));
            Assert.That(v1.Zip(wrong).Min(p => Math.Abs(p.First - p.Second)), Is.GreaterThan(8f));
        });
    }

    [Test]
    public void Mlp_IsSmallEnoughToInlineInAConfigMap()
    {
        Assert.That(SampleModels.SampleModels.Mlp(), Has.Length.LessThan(8 * 1024));
    }
}
