using System.Text.Json.Nodes;
using Serval.LocalCluster.Patch;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class StrategicMergePatchTests
{
    private static readonly StrategicMergePatch Deployment = new(new BuiltInListTypes("Deployment"));

    [Test]
    public void ContainersMergeByName_AndEnvByName()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"1"}]},{"name":"b","image":"b:1"}]}}""",
            """{"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"2"}]}]}}""");

        Assert.That(result.ToJsonString(), Is.EqualTo(
            """{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},{"name":"b","image":"b:1"}]}}"""));
    }

    [Test]
    public void ListWithoutMergeKey_IsReplaced()
    {
        var result = Apply("""{"spec":{"args":["a","b"]}}""", """{"spec":{"args":["c"]}}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"spec":{"args":["c"]}}"""));
    }

    [Test]
    public void SetElementOrder_ReordersTheMergedList()
    {
        var result = Apply(
            """{"c":[{"name":"a"},{"name":"b"}]}""".Replace("\"c\"", "\"containers\"", StringComparison.Ordinal),
            """{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"containers":[{"name":"b"},{"name":"a"}]}"""));
    }

    [Test]
    public void DeleteFromPrimitiveList_RemovesTheValues()
    {
        var result = Apply("""{"metadata":{"finalizers":["a","b","c"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"metadata":{"finalizers":["a","c"]}}"""));
    }

    [Test]
    public void Finalizers_MergeAsASet()
    {
        var result = Apply("""{"metadata":{"finalizers":["a"]}}""", """{"metadata":{"finalizers":["a","b"]}}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"metadata":{"finalizers":["a","b"]}}"""));
    }

    [Test]
    public void RetainKeys_DropsKeysNotListed()
    {
        var result = Apply(
            """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""",
            """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"spec":{"strategy":{"type":"Recreate"}}}"""));
    }

    [Test]
    public void PatchReplaceDirective_ReplacesTheMap()
    {
        var result = Apply("""{"spec":{"selector":{"a":"1","b":"2"}}}""", """{"spec":{"selector":{"$patch":"replace","c":"3"}}}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"spec":{"selector":{"c":"3"}}}"""));
    }

    [Test]
    public void NullValue_DeletesTheField()
    {
        var result = Apply("""{"a":1,"b":2}""", """{"a":null}""");

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"b":2}"""));
    }

    private static JsonObject Apply(string original, string patch) =>
        Deployment.Apply(JsonNode.Parse(original)!.AsObject(), JsonNode.Parse(patch)!.AsObject());
}
