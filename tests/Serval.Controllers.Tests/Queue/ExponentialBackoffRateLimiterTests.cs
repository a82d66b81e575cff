using Serval.Controllers.Queue;

namespace Serval.Controllers.Tests.Queue;

public sealed class ExponentialBackoffRateLimiterTests
{
    private static ExponentialBackoffRateLimiter<string> Create() =>
        new(WorkQueueRateLimiters.DefaultBaseDelay, WorkQueueRateLimiters.DefaultMaxDelay);

    [Test]
    public void When_RepeatedFailures_DoublesFromFiveMillisecondsAndCapsAtOneThousandSeconds()
    {
        var limiter = Create();

        var delays = Enumerable.Range(0, 22).Select(_ => limiter.When("a").TotalMilliseconds).ToArray();

        var expected = Enumerable.Range(0, 22).Select(n => Math.Min(5 * Math.Pow(2, n), 1_000_000)).ToArray();
        Assert.That(delays, Is.EqualTo(expected));
        Assert.That(delays[17], Is.EqualTo(655_360), "5 ms * 2^17 is the last uncapped step");
        Assert.That(delays[18], Is.EqualTo(1_000_000), "5 ms * 2^18 would pass 1000 s");
    }

    [Test]
    public void When_ManyThousandFailures_StaysAtTheCap()
    {
        var limiter = Create();
        for (var i = 0; i < 5000; i++)
        {
            limiter.When("a");
        }

        Assert.That(limiter.When("a"), Is.EqualTo(TimeSpan.FromSeconds(1000)));
    }

    [Test]
    public void Forget_AfterFailures_RestartsAtTheBaseDelay()
    {
        var limiter = Create();
        limiter.When("a");
        limiter.When("a");
        limiter.When("a");

        limiter.Forget("a");

        Assert.That(limiter.When("a"), Is.EqualTo(TimeSpan.FromMilliseconds(5)));
    }

    [Test]
    public void When_DifferentItems_BackOffIndependently()
    {
        var limiter = Create();
        limiter.When("a");
        limiter.When("a");

        Assert.That(limiter.When("b"), Is.EqualTo(TimeSpan.FromMilliseconds(5)));
    }

    [Test]
    public void NumRequeues_CountsFailuresSinceForget()
    {
        var limiter = Create();
        limiter.When("a");
        limiter.When("a");

        Assert.That(limiter.NumRequeues("a"), Is.EqualTo(2));
        limiter.Forget("a");
        Assert.That(limiter.NumRequeues("a"), Is.Zero);
    }

    [Test]
    public void Constructor_MaxBelowBase_NamesTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => _ = new ExponentialBackoffRateLimiter<string>(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));

        Assert.That(error!.ParamName, Is.EqualTo("maxDelay"));
    }
}
