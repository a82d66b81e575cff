using System.Text.Json.Nodes;
using Serval.LocalCluster.Apply;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class FieldSetTests
{
    [Test]
    public void FromObject_KeysListItemsByMergeKey_AndSkipsServerOwnedMetadata()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","uid":"u","labels":{"a":"1"}},
             "spec":{"containers":[{"name":"web","image":"x","ports":[{"containerPort":80}]}]}}
            """)!.AsObject();

        var fields = FieldSet.FromObject(obj, new BuiltInListTypes("Pod"), includeStatus: false).ToFieldsV1().ToJsonString(Serval.LocalCluster.Json.JsonObjects.Compact);

        Assert.That(fields, Is.EqualTo(
            """{"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}"""));
    }

    [Test]
    public void FromFieldsV1_RoundTrips()
    {
        var json = """{"f:spec":{"f:replicas":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}}}}}""";

        var set = FieldSet.FromFieldsV1(JsonNode.Parse(json));

        Assert.That(set.ToFieldsV1().ToJsonString(), Is.EqualTo(json));
    }
}
