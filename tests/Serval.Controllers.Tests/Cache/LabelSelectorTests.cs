using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Controllers.Tests.Cache;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["canary"] = "" };

    [TestCase("", true)]
    [TestCase("app=web", true)]
    [TestCase("app==web", true)]
    [TestCase("app=db", false)]
    [TestCase("app!=db", true)]
    [TestCase("missing!=x", true)]
    [TestCase("app in (db, web)", true)]
    [TestCase("app in (db)", false)]
    [TestCase("app notin (db)", true)]
    [TestCase("missing notin (db)", true)]
    [TestCase("canary", true)]
    [TestCase("!canary", false)]
    [TestCase("!missing", true)]
    [TestCase("app=web,tier in (front,back),!missing", true)]
    [TestCase("app=web,tier=back", false)]
    public void Matches_StringForm_FollowsKubernetesSemantics(string selector, bool expected)
    {
        Assert.That(LabelSelector.Parse(selector).Matches(Web), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_ThenToString_RoundTrips()
    {
        var text = "app=web,tier in (front,back),!legacy,canary,env!=prod";

        Assert.That(LabelSelector.Parse(text).ToString(), Is.EqualTo(text));
    }

    [TestCase("app in (web", "unclosed")]
    [TestCase("app=web,", "empty requirement")]
    [TestCase("app maybe (x)", "key in (values)")]
    public void Parse_Malformed_NamesTheSelector(string text, string hint)
    {
        var error = Assert.Throws<FormatException>(() => LabelSelector.Parse(text));

        Assert.That(error!.Message, Does.Contain(text).And.Contain(hint));
    }

    [Test]
    public void FromV1_MatchLabelsAndExpressions_AllMustHold()
    {
        var selector = LabelSelector.FromV1(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["back"] }],
        })!;

        Assert.That(selector.Matches(Web), Is.False);
        Assert.That(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "back" }), Is.True);
    }

    [Test]
    public void FromV1_UnknownOperator_NamesTheField()
    {
        var error = Assert.Throws<FormatException>(() => LabelSelector.FromV1(new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "Near" }],
        }));

        Assert.That(error!.Message, Does.Contain("matchExpressions.operator").And.Contain("Near"));
    }
}
