using Serval.Api.Crd;
using Serval.Api.Schema;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

public sealed class ApiReferenceTests
{
    private const string ReferenceFile = "docs/api-reference.md";

    [Test]
    public void ToMarkdown_EqualsTheCheckedInFile()
    {
        Assert.That(RepositoryFiles.Read(ReferenceFile), Is.EqualTo(ApiReference.ToMarkdown()),
            $"{ReferenceFile} is stale: run `serval-operator crds --api-reference > {ReferenceFile}`");
    }

    [TestCase(typeof(InferenceServiceSpec))]
    [TestCase(typeof(ModelSpec))]
    [TestCase(typeof(RuntimeSpec))]
    [TestCase(typeof(BatchingSpec))]
    [TestCase(typeof(AutoscalingSpec))]
    [TestCase(typeof(RolloutSpec))]
    [TestCase(typeof(AnalysisSpec))]
    [TestCase(typeof(TrafficSpec))]
    [TestCase(typeof(InferenceServiceStatus))]
    [TestCase(typeof(CanaryRevisionStatus))]
    public void ToMarkdown_HasARowForEveryFieldOfTheType(Type type)
    {
        var markdown = ApiReference.ToMarkdown();
        var section = markdown[markdown.IndexOf($"\n## {type.Name}\n", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 1, StringComparison.Ordinal) is var end and > 0 ? end : section.Length)];

        Assert.That(ApiTypes.Properties(type).Select(p => p.Name).Where(n => !section.Contains($"| `{n}` |", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void ToMarkdown_ShowsDefaultAndConstraintsInTheFieldRow()
    {
        var row = ApiReference.ToMarkdown().Split('\n').Single(l => l.StartsWith("| `maxBatchSize` |", StringComparison.Ordinal));

        Assert.That(row, Does.Contain("| `16` |").And.Contain("≥ 1; ≤ 1 024"));
    }

    [Test]
    public void ToMarkdown_ListsTheRulesWithTheirMessages()
    {
        Assert.That(ApiReference.ToMarkdown(), Does.Contain("- `minReplicas`: minReplicas must be less than or equal to maxReplicas"));
    }
}
