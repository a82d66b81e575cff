using Serval.LocalCluster.Selectors;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "gold" };

    [TestCase("app=web", true)]
    [TestCase("app==web", true)]
    [TestCase("app!=web", false)]
    [TestCase("app in (web, api)", true)]
    [TestCase("app notin (web)", false)]
    [TestCase("tier", true)]
    [TestCase("!tier", false)]
    [TestCase("!missing", true)]
    [TestCase("missing!=x", true)]
    [TestCase("app=web,tier in (silver)", false)]
    [TestCase("", true)]
    public void Matches_FollowsKubernetesOperators(string selector, bool expected)
    {
        Assert.That(LabelSelector.Parse(selector).Matches(Labels), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_UnknownOperator_IsBadRequestNamingTheSelector()
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse("app within (x)"));

        Assert.That(error!.Code, Is.EqualTo(400));
        Assert.That(error.Message, Does.Contain("app within (x)"));
    }

    [Test]
    public void FromJson_MatchExpressions_RoundTripsToQueryForm()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse("""{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["gold","silver"]}]}""")!.AsObject();

        var selector = LabelSelector.FromJson(json, "spec.selector");

        Assert.That(selector.ToString(), Is.EqualTo("app=web,tier in (gold,silver)"));
    }
}
