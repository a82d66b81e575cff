using System.Text.Json.Nodes;
using Serval.LocalCluster.Patch;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class JsonPatchTests
{
    [TestCase("""[{"op":"add","path":"/b","value":2}]""", """{"a":[1,2],"b":2}""")]
    [TestCase("""[{"op":"add","path":"/a/-","value":3}]""", """{"a":[1,2,3]}""")]
    [TestCase("""[{"op":"add","path":"/a/0","value":0}]""", """{"a":[0,1,2]}""")]
    [TestCase("""[{"op":"remove","path":"/a/1"}]""", """{"a":[1]}""")]
    [TestCase("""[{"op":"replace","path":"/a","value":"x"}]""", """{"a":"x"}""")]
    [TestCase("""[{"op":"copy","from":"/a","path":"/c"}]""", """{"a":[1,2],"c":[1,2]}""")]
    [TestCase("""[{"op":"move","from":"/a","path":"/c"}]""", """{"c":[1,2]}""")]
    [TestCase("""[{"op":"test","path":"/a/0","value":1}]""", """{"a":[1,2]}""")]
    public void Apply_FollowsRfc6902(string operations, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}""")!, JsonNode.Parse(operations)!.AsArray());

        Assert.That(result.ToJsonString(), Is.EqualTo(expected));
    }

    [Test]
    public void Apply_EscapedPointer_ReachesKeysWithSlashes()
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"labels":{"a/b":"1"}}""")!, JsonNode.Parse("""[{"op":"remove","path":"/labels/a~1b"}]""")!.AsArray());

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"labels":{}}"""));
    }

    [Test]
    public void Apply_MissingPath_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ApiException>(() =>
            JsonPatch.Apply(JsonNode.Parse("""{"a":1}""")!, JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!.AsArray()));

        Assert.That(error!.Code, Is.EqualTo(422));
        Assert.That(error.Message, Does.Contain("/nope"));
    }
}
