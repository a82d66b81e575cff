using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Queue;

namespace Serval.Controllers.Tests.Queue;

public sealed class BucketRateLimiterTests
{
    [Test]
    public void When_WithinBurst_DoesNotWait()
    {
        var limiter = new BucketRateLimiter<int>(10, 100, new FakeTimeProvider());

        var waits = Enumerable.Range(0, 100).Select(limiter.When).ToArray();

        Assert.That(waits, Is.All.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void When_BurstSpent_ReservesTokensOneIntervalApart()
    {
        var limiter = new BucketRateLimiter<int>(10, 100, new FakeTimeProvider());
        for (var i = 0; i < 100; i++)
        {
            limiter.When(i);
        }

        var waits = Enumerable.Range(100, 3).Select(i => limiter.When(i).TotalMilliseconds).ToArray();

        Assert.That(waits, Is.EqualTo(new[] { 100, 200, 300 }).Within(0.001));
    }

    [Test]
    public void When_TimePasses_RefillsAtTheRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<int>(10, 2, time);
        limiter.When(1);
        limiter.When(2);

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.That(limiter.When(3), Is.EqualTo(TimeSpan.Zero));
        Assert.That(limiter.When(4).TotalMilliseconds, Is.EqualTo(100).Within(0.001));
    }

    [Test]
    public void When_IdleForLong_RefillsNoMoreThanTheBurst()
    {
        var time = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<int>(10, 2, time);
        time.Advance(TimeSpan.FromHours(1));

        limiter.When(1);
        limiter.When(2);

        Assert.That(limiter.When(3).TotalMilliseconds, Is.EqualTo(100).Within(0.001));
    }

    [Test]
    public void Constructor_ZeroQps_NamesTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BucketRateLimiter<int>(0, 1, new FakeTimeProvider()));

        Assert.That(error!.ParamName, Is.EqualTo("qps"));
    }
}
