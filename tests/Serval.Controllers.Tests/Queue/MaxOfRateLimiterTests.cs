using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Queue;

namespace Serval.Controllers.Tests.Queue;

public sealed class MaxOfRateLimiterTests
{
    [Test]
    public void Default_BurstSpent_WaitsForTheBucketRatherThanTheShortBackoff()
    {
        var limiter = WorkQueueRateLimiters.Default<int>(new FakeTimeProvider());
        for (var i = 0; i < 100; i++)
        {
            Assert.That(limiter.When(i), Is.EqualTo(TimeSpan.FromMilliseconds(5)));
        }

        Assert.That(limiter.When(100).TotalMilliseconds, Is.EqualTo(100).Within(0.001));
    }

    [Test]
    public void Default_LongFailureStreak_WaitsForTheBackoffRatherThanTheBucket()
    {
        var limiter = WorkQueueRateLimiters.Default<int>(new FakeTimeProvider());
        for (var i = 0; i < 10; i++)
        {
            limiter.When(7);
        }

        Assert.That(limiter.When(7), Is.EqualTo(TimeSpan.FromMilliseconds(5 * 1024)));
    }

    [Test]
    public void Forget_ForgetsInEveryLimiter()
    {
        var limiter = WorkQueueRateLimiters.Default<int>(new FakeTimeProvider());
        limiter.When(7);
        limiter.When(7);

        limiter.Forget(7);

        Assert.That(limiter.NumRequeues(7), Is.Zero);
        Assert.That(limiter.When(7), Is.EqualTo(TimeSpan.FromMilliseconds(5)));
    }
}
