using k8s;
using Serval.LocalCluster.Json;

namespace Serval.Api.Tests;

public sealed class SampleRoundTripTests
{
    private static IEnumerable<string> AllSamples() => Samples.Valid().Concat(Samples.Invalid().Select(f => "invalid/" + f));

    [TestCaseSource(nameof(AllSamples))]
    public void Sample_RoundTripsYamlToCSharpToYamlUnchanged(string file)
    {
        var yaml = RepositoryFiles.Read(Path.Combine("samples", file));
        var documents = Samples.Documents(yaml);
        var objects = Samples.Objects(yaml);

        Assert.That(objects, Has.Count.EqualTo(documents.Count));
        for (var i = 0; i < documents.Count; i++)
        {
            var back = YamlJson.ParseDocuments(KubernetesYaml.Serialize(objects[i])).Single();
            Assert.That(JsonTrees.Canonical(back), Is.EqualTo(JsonTrees.Canonical(documents[i])), $"document {i} ({objects[i].GetType().Name})");
        }
    }

    [TestCaseSource(nameof(AllSamples))]
    public void Sample_SurvivesTheJsonTheApiServerAndClientsSpeak(string file)
    {
        var service = Samples.Service(RepositoryFiles.Read(Path.Combine("samples", file)));

        var back = KubernetesJson.Deserialize<V1Alpha1.InferenceService>(KubernetesJson.Serialize(service));

        Assert.That(KubernetesYaml.Serialize(back), Is.EqualTo(KubernetesYaml.Serialize(service)));
    }

    [TestCaseSource(nameof(AllSamples))]
    public void Sample_HoldsExactlyOneInferenceService(string file)
    {
        var yaml = RepositoryFiles.Read(Path.Combine("samples", file));

        Assert.That(Samples.Objects(yaml).OfType<V1Alpha1.InferenceService>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Samples_UseDistinctNames_SoThatTheDirectoryAppliesAsOne()
    {
        var names = Samples.Valid()
            .SelectMany(f => Samples.Documents(Samples.ValidText(f)))
            .Select(d => $"{d["kind"]}/{d["metadata"]?["name"]}")
            .ToList();

        Assert.That(names, Is.Unique);
    }
}
