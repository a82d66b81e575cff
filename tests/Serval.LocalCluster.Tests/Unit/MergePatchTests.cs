using System.Text.Json.Nodes;
using Serval.LocalCluster.Patch;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class MergePatchTests
{
    [TestCase("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [TestCase("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [TestCase("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [TestCase("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [TestCase("""{"a":[1]}""", """{"a":[2,3]}""", """{"a":[2,3]}""")]
    [TestCase("""{"a":"x"}""", """{"a":{"b":null,"c":1}}""", """{"a":{"c":1}}""")]
    public void Apply_FollowsRfc7386(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.That(result!.ToJsonString(), Is.EqualTo(expected));
    }
}
