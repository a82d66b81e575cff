namespace Serval.LocalCluster.Tests.Admission;

public sealed class PruningTests
{
    private const string Schema = """
        type: object
        properties:
          spec:
            type: object
            properties:
              model: {type: object, properties: {uri: {type: string}}}
              steps: {type: array, items: {type: object, properties: {weight: {type: integer}}}}
              labels: {type: object, additionalProperties: {type: object, properties: {value: {type: string}}}}
              config: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: object, properties: {a: {type: string}}}}}
              template:
                type: object
                x-kubernetes-embedded-resource: true
                properties: {spec: {type: object, properties: {replicas: {type: integer}}}}
        """;

    [Test]
    public void UnknownFields_AreDroppedAndTheirPathsReturned()
    {
        var obj = TestYaml.Object("spec: {model: {uri: x, extra: 1}, typo: 2}");

        var pruned = TestYaml.Compile(Schema).Prune(obj);

        Assert.That(pruned, Is.EquivalentTo(new[] { "spec.model.extra", "spec.typo" }));
        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"spec":{"model":{"uri":"x"}}}"""));
    }

    [Test]
    public void RootApiVersionKindAndMetadata_AreKept()
    {
        var obj = TestYaml.Object("apiVersion: serving.serval.dev/v1alpha1\nkind: InferenceService\nmetadata: {name: a, labels: {x: y}}\nstatus: {}");

        var pruned = TestYaml.Compile(Schema).Prune(obj);

        Assert.That(pruned, Is.EqualTo(new[] { "status" }));
        Assert.That(obj["metadata"]!["labels"]!["x"]!.GetValue<string>(), Is.EqualTo("y"));
        Assert.That(obj["kind"]!.GetValue<string>(), Is.EqualTo("InferenceService"));
    }

    [Test]
    public void ListItems_ArePrunedWithTheirIndex()
    {
        var obj = TestYaml.Object("spec: {steps: [{weight: 1}, {weight: 2, color: red}]}");

        var pruned = TestYaml.Compile(Schema).Prune(obj);

        Assert.That(pruned, Is.EqualTo(new[] { "spec.steps[1].color" }));
    }

    [Test]
    public void MapValues_ArePruned()
    {
        var obj = TestYaml.Object("spec: {labels: {a: {value: x, junk: y}}}");

        var pruned = TestYaml.Compile(Schema).Prune(obj);

        Assert.That(pruned, Is.EqualTo(new[] { "spec.labels.a.junk" }));
    }

    [Test]
    public void PreserveUnknownFields_KeepsUnknownButPrunesInsideKnown()
    {
        var obj = TestYaml.Object("spec: {config: {free: {form: 1}, known: {a: x, b: y}}}");

        var pruned = TestYaml.Compile(Schema).Prune(obj);

        Assert.That(pruned, Is.EqualTo(new[] { "spec.config.known.b" }));
        Assert.That(obj["spec"]!["config"]!["free"]!["form"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public void EmbeddedResource_KeepsItsApiVersionKindAndMetadata()
    {
        var obj = TestYaml.Object("spec: {template: {apiVersion: apps/v1, kind: Deployment, metadata: {name: x}, spec: {replicas: 1, paused: true}}}");

        var pruned = TestYaml.Compile(Schema).Prune(obj);

        Assert.That(pruned, Is.EqualTo(new[] { "spec.template.spec.paused" }));
        Assert.That(obj["spec"]!["template"]!["kind"]!.GetValue<string>(), Is.EqualTo("Deployment"));
    }
}
