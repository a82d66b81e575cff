namespace Serval.LocalCluster.Tests.Admission;

public sealed class ListTypeTests
{
    private const string Schema = """
        type: object
        properties:
          hostnames:
            type: array
            x-kubernetes-list-type: set
            items: {type: string}
          ports:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [name, protocol]
            items:
              type: object
              required: [name]
              properties:
                name: {type: string}
                protocol: {type: string, default: TCP}
                port: {type: integer}
          steps:
            type: array
            x-kubernetes-list-type: atomic
            items: {type: integer}
        """;

    [Test]
    public void Set_DuplicateItem_IsDuplicateAtItsIndex()
    {
        var errors = TestYaml.Compile(Schema).Validate(TestYaml.Parse("hostnames: [a.example, b.example, a.example]"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Field, Is.EqualTo("hostnames[2]"));
        Assert.That(errors[0].Message, Is.EqualTo("Duplicate value: \"a.example\""));
        Assert.That(errors[0].Reason, Is.EqualTo("FieldValueDuplicate"));
    }

    [Test]
    public void Map_DuplicateKeys_PrintsTheKeyMapAsGo()
    {
        var errors = TestYaml.Compile(Schema).Validate(TestYaml.Parse(
            "ports: [{name: http, protocol: TCP, port: 80}, {name: http, protocol: UDP, port: 80}, {name: http, protocol: TCP, port: 81}]"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Field, Is.EqualTo("ports[2]"));
        Assert.That(errors[0].Message, Is.EqualTo("Duplicate value: map[string]interface {}{\"name\":\"http\", \"protocol\":\"TCP\"}"));
    }

    [Test]
    public void Map_DistinctKeys_AreAccepted()
    {
        var errors = TestYaml.Compile(Schema).Validate(TestYaml.Parse("ports: [{name: http, protocol: TCP}, {name: http, protocol: UDP}]"));

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Atomic_DuplicateItems_AreAccepted()
    {
        var errors = TestYaml.Compile(Schema).Validate(TestYaml.Parse("steps: [10, 10, 50]"));

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Set_NumbersEqualByValue_AreDuplicates()
    {
        var schema = TestYaml.Compile("type: object\nproperties: {weights: {type: array, x-kubernetes-list-type: set, items: {type: number}}}");

        var errors = schema.Validate(TestYaml.Parse("""{"weights": [1, 1.0]}"""));

        Assert.That(errors.Select(e => e.Field), Is.EqualTo(new[] { "weights[1]" }));
    }
}
