using Serval.LocalCluster.Tables;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class HumanDurationTests
{
    [TestCase(0, "0s")]
    [TestCase(45, "45s")]
    [TestCase(119, "119s")]
    [TestCase(200, "3m20s")]
    [TestCase(600, "10m")]
    [TestCase(3 * 3600 + 120, "3h2m")]
    [TestCase(10 * 3600, "10h")]
    [TestCase(3 * 86400 + 3600, "3d1h")]
    [TestCase(30 * 86400, "30d")]
    [TestCase(-5, "<invalid>")]
    public void Format_MatchesKubectl(int seconds, string expected)
    {
        Assert.That(HumanDuration.Format(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
    }
}
