using Serval.Controllers.Cache;

namespace Serval.Controllers.Tests.Cache;

public sealed class ReconnectBackoffTests
{
    [Test]
    public void Next_Repeatedly_DoublesWithinTheJitterAndCaps()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), jitter: 1.0, new Random(3));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds).ToArray();

        double[] steps = [1, 2, 4, 8, 8, 8];
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.That(delays[i], Is.InRange(steps[i], steps[i] * 2), $"attempt {i}");
        }
    }

    [Test]
    public void Next_ZeroJitter_IsExactlyTheStep()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), jitter: 0, new Random(3));

        Assert.That(new[] { backoff.Next(), backoff.Next(), backoff.Next() }, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) }));
    }

    [Test]
    public void Reset_AfterGrowth_StartsOver()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), jitter: 0, new Random(3));
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.That(backoff.Next(), Is.EqualTo(TimeSpan.FromSeconds(1)));
    }
}
