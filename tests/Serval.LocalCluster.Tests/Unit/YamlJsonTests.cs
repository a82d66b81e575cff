using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class YamlJsonTests
{
    [Test]
    public void ParseDocuments_TypesPlainScalarsAndKeepsQuotedOnesStrings()
    {
        var doc = YamlJson.ParseDocuments("a: 1\nb: \"1\"\nc: true\nd: yes\ne: null\nf: 1.5\ng: text\n")[0];

        Assert.That(doc.ToJsonString(), Is.EqualTo("""{"a":1,"b":"1","c":true,"d":true,"e":null,"f":1.5,"g":"text"}"""));
    }

    [Test]
    public void ParseDocuments_SkipsEmptyDocumentsAndExpandsLists()
    {
        var docs = YamlJson.ParseDocuments("---\n# nothing\n---\nkind: List\napiVersion: v1\nitems:\n- {kind: A}\n- {kind: B}\n---\nkind: C\n");

        Assert.That(docs.Select(d => d["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "A", "B", "C" }));
    }
}
