using System.Text.Json.Nodes;
using Serval.LocalCluster.Tables;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class JsonPathExpressionTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"metadata":{"name":"x","labels":{"app.kubernetes.io/name":"web"}},
         "spec":{"replicas":3,"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]},
         "status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Degraded","status":"False"}]}}
        """)!;

    [TestCase(".spec.replicas", "3")]
    [TestCase(".metadata.name", "\"x\"")]
    [TestCase(".spec.containers[1].image", "\"b:1\"")]
    [TestCase(".spec.containers[*].name", "\"a\",\"b\"")]
    [TestCase(".status.conditions[?(@.type==\"Ready\")].status", "\"True\"")]
    [TestCase(".status.conditions[?(@.type=='Degraded')].status", "\"False\"")]
    [TestCase(".metadata.labels['app.kubernetes.io/name']", "\"web\"")]
    [TestCase("{.spec.containers[-1].name}", "\"b\"")]
    [TestCase(".spec.missing", "")]
    public void Evaluate_ReachesTheValues(string path, string expected)
    {
        var values = JsonPathExpression.Parse(path).Evaluate(Doc);

        Assert.That(string.Join(",", values.Select(v => v!.ToJsonString())), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_UnsupportedSelector_NamesTheExpression()
    {
        var error = Assert.Throws<FormatException>(() => JsonPathExpression.Parse(".a[1:2]"));

        Assert.That(error!.Message, Does.Contain(".a[1:2]"));
    }
}
