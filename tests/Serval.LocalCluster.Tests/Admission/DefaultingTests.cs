using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Tests.Admission;

public sealed class DefaultingTests
{
    private const string Schema = """
        type: object
        properties:
          metadata: {type: object}
          spec:
            type: object
            default: {}
            properties:
              runtime:
                type: object
                default: {}
                properties:
                  executionProvider: {type: string, default: Auto}
                  intraOpThreads: {type: integer, default: 0}
              batching:
                type: object
                properties:
                  maxBatchSize: {type: integer, default: 16}
              steps:
                type: array
                items:
                  type: object
                  properties:
                    weight: {type: integer, default: 10}
                    name: {type: string}
              routes:
                type: object
                additionalProperties:
                  type: object
                  properties:
                    timeoutSeconds: {type: integer, default: 30}
              note: {type: string}
              owner: {type: string, nullable: true}
              mode: {type: string, default: Fast}
        """;

    private static JsonObject Defaulted(string obj)
    {
        var node = TestYaml.Object(obj);
        TestYaml.Compile(Schema).ApplyDefaults(node);
        return node;
    }

    [Test]
    public void MissingObject_TakesItsDefaultAndTheDefaultsInside()
    {
        var obj = Defaulted("{}");

        Assert.That(obj["spec"]!["runtime"]!["executionProvider"]!.GetValue<string>(), Is.EqualTo("Auto"));
        Assert.That(obj["spec"]!["runtime"]!["intraOpThreads"]!.GetValue<long>(), Is.Zero);
        Assert.That(obj["spec"]!["mode"]!.GetValue<string>(), Is.EqualTo("Fast"));
    }

    [Test]
    public void PresentObjectWithoutDefault_GetsItsFieldsDefaulted()
    {
        var obj = Defaulted("spec: {batching: {}}");

        Assert.That(obj["spec"]!["batching"]!["maxBatchSize"]!.GetValue<long>(), Is.EqualTo(16));
    }

    [Test]
    public void AbsentObjectWithoutDefault_StaysAbsent()
    {
        var obj = Defaulted("spec: {}");

        Assert.That(obj["spec"]!.AsObject().ContainsKey("batching"), Is.False);
    }

    [Test]
    public void ExistingValue_IsKept()
    {
        var obj = Defaulted("spec: {runtime: {executionProvider: Cuda}}");

        Assert.That(obj["spec"]!["runtime"]!["executionProvider"]!.GetValue<string>(), Is.EqualTo("Cuda"));
    }

    [Test]
    public void ListItems_GetTheirDefaults()
    {
        var obj = Defaulted("spec: {steps: [{name: a}, {name: b, weight: 50}]}");

        Assert.That(obj["spec"]!["steps"]!.AsArray().Select(s => s!["weight"]!.GetValue<long>()), Is.EqualTo(new long[] { 10, 50 }));
    }

    [Test]
    public void MapValues_GetTheirDefaults()
    {
        var obj = Defaulted("spec: {routes: {a: {}, b: {timeoutSeconds: 5}}}");

        Assert.That(obj["spec"]!["routes"]!["a"]!["timeoutSeconds"]!.GetValue<long>(), Is.EqualTo(30));
        Assert.That(obj["spec"]!["routes"]!["b"]!["timeoutSeconds"]!.GetValue<long>(), Is.EqualTo(5));
    }

    [Test]
    public void NullInNonNullableFieldWithDefault_TakesTheDefault()
    {
        var obj = Defaulted("spec: {mode: null}");

        Assert.That(obj["spec"]!["mode"]!.GetValue<string>(), Is.EqualTo("Fast"));
    }

    [Test]
    public void NullInNonNullableFieldWithoutDefault_IsDropped()
    {
        var obj = Defaulted("spec: {note: null}");

        Assert.That(obj["spec"]!.AsObject().ContainsKey("note"), Is.False);
    }

    [Test]
    public void NullInNullableField_IsKept()
    {
        var obj = Defaulted("spec: {owner: null}");

        Assert.That(obj["spec"]!.AsObject().ContainsKey("owner"), Is.True);
    }

    [Test]
    public void DefaultedValues_AreIndependentCopies()
    {
        var schema = TestYaml.Compile(Schema);
        var first = TestYaml.Object("{}");
        var second = TestYaml.Object("{}");
        schema.ApplyDefaults(first);
        schema.ApplyDefaults(second);

        first["spec"]!["runtime"]!["executionProvider"] = "Cpu";

        Assert.That(second["spec"]!["runtime"]!["executionProvider"]!.GetValue<string>(), Is.EqualTo("Auto"));
    }
}
