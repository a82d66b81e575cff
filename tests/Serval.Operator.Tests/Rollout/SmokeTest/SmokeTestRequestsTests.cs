using Serval.Operator.Rollout.SmokeTest;

namespace Serval.Operator.Tests.Rollout.SmokeTest;

public sealed class SmokeTestRequestsTests
{
    private const string Request = """{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""";

    [Test]
    public void Read_TakesJsonKeysInKeyOrder()
    {
        var data = new Dictionary<string, string> { ["b.json"] = Request, ["a.json"] = Request, ["README"] = "not a request" };

        var requests = SmokeTestRequests.Read("smoke", data, out var error);

        Assert.That(error, Is.Null);
        Assert.That(requests.Select(r => r.Key), Is.EqualTo(new[] { "a.json", "b.json" }));
    }

    [Test]
    public void Read_MissingConfigMap_NamesIt()
    {
        var requests = SmokeTestRequests.Read("smoke", null, out var error);

        Assert.That(requests, Is.Empty);
        Assert.That(error, Is.EqualTo("ConfigMap smoke (rollout.smokeTest.configMapName) does not exist"));
    }

    [Test]
    public void Read_NoJsonKeys_SaysSo()
    {
        SmokeTestRequests.Read("smoke", new Dictionary<string, string> { ["x.txt"] = "{}" }, out var error);

        Assert.That(error, Is.EqualTo("ConfigMap smoke has no key ending in .json"));
    }

    [TestCase("{not json", "not JSON")]
    [TestCase("""{"outputs":[]}""", "not a V2 infer request")]
    public void Read_BadRequest_NamesTheKey(string body, string why)
    {
        var requests = SmokeTestRequests.Read("smoke", new Dictionary<string, string> { ["bad.json"] = body }, out var error);

        Assert.That(requests, Is.Empty);
        Assert.That(error, Does.StartWith("ConfigMap smoke key bad.json: " + why));
    }
}
