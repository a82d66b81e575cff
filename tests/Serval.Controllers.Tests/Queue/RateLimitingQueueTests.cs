using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Queue;

namespace Serval.Controllers.Tests.Queue;

public sealed class RateLimitingQueueTests
{
    private FakeTimeProvider _time = null!;
    private RateLimitingQueue<string> _queue = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _queue = new RateLimitingQueue<string>(_time);
    }

    [TearDown]
    public void TearDown() => _queue.Dispose();

    private string Take()
    {
        var task = _queue.GetAsync();
        Assert.That(task.IsCompletedSuccessfully, Is.True, "an item should be ready");
        return task.Result.Item;
    }

    [Test]
    public void Add_SameItemTwice_QueuesItOnce()
    {
        _queue.Add("a");
        _queue.Add("a");

        Assert.That(_queue.Length, Is.EqualTo(1));
    }

    [Test]
    public void GetAsync_SeveralItems_HandsThemOutInOrder()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("c");

        Assert.That(new[] { Take(), Take(), Take() }, Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void GetAsync_EmptyQueue_CompletesWhenAnItemArrives()
    {
        var pending = _queue.GetAsync();
        Assert.That(pending.IsCompleted, Is.False);

        _queue.Add("a");

        Assert.That(pending.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(pending.Result.Item, Is.EqualTo("a"));
    }

    [Test]
    public void Add_WhileProcessing_IsNotHandedToASecondWorker()
    {
        _queue.Add("a");
        Take();

        _queue.Add("a");
        var second = _queue.GetAsync();

        Assert.That(_queue.Length, Is.Zero);
        Assert.That(second.IsCompleted, Is.False);
    }

    [Test]
    public void Add_WhileProcessing_RunsAgainAfterDone()
    {
        _queue.Add("a");
        Take();
        _queue.Add("a");
        var second = _queue.GetAsync();

        _queue.Done("a");

        Assert.That(second.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(second.Result.Item, Is.EqualTo("a"));
    }

    [Test]
    public void Add_ManyTimesWhileProcessing_RunsOnlyOnceMore()
    {
        _queue.Add("a");
        Take();
        _queue.Add("a");
        _queue.Add("a");
        _queue.Add("a");

        _queue.Done("a");

        Assert.That(_queue.Length, Is.EqualTo(1));
    }

    [Test]
    public void Done_WithoutReAdd_LeavesTheQueueEmpty()
    {
        _queue.Add("a");
        Take();

        _queue.Done("a");

        Assert.That((_queue.Length, _queue.ProcessingCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public void AddAfter_BeforeTheDelay_IsNotReady()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.That(_queue.Length, Is.Zero);
        Assert.That(_queue.WaitingCount, Is.EqualTo(1));
    }

    [Test]
    public void AddAfter_DelayPassed_IsReady()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(Take(), Is.EqualTo("a"));
    }

    [Test]
    public void AddAfter_ZeroDelay_IsReadyAtOnce()
    {
        _queue.AddAfter("a", TimeSpan.Zero);

        Assert.That(_queue.Length, Is.EqualTo(1));
    }

    [Test]
    public void AddAfter_ShorterDelaySecond_TheEarlierTimeWins()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(_queue.Length, Is.EqualTo(1));
    }

    [Test]
    public void AddAfter_TwoDelays_TheItemIsQueuedOnlyOnce()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(1));
        Take();
        _queue.Done("a");

        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.That((_queue.Length, _queue.WaitingCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public void AddAfter_SeveralItems_BecomeReadyInTimeOrder()
    {
        _queue.AddAfter("late", TimeSpan.FromSeconds(3));
        _queue.AddAfter("early", TimeSpan.FromSeconds(1));
        _queue.AddAfter("middle", TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.That(new[] { Take(), Take(), Take() }, Is.EqualTo(new[] { "early", "middle", "late" }));
    }

    [Test]
    public void AddAfter_ItemAlreadyQueued_IsNotQueuedTwiceWhenTheDelayPasses()
    {
        _queue.Add("a");
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(_queue.Length, Is.EqualTo(1));
    }

    [Test]
    public void AddRateLimited_RepeatedFailures_FollowTheBackoffSequence()
    {
        var readyAfterMs = new List<double>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var start = _time.GetUtcNow();
            _queue.AddRateLimited("a");
            while (_queue.Length == 0)
            {
                _time.Advance(TimeSpan.FromMilliseconds(1));
            }

            readyAfterMs.Add((_time.GetUtcNow() - start).TotalMilliseconds);
            Take();
            _queue.Done("a");
        }

        Assert.That(readyAfterMs, Is.EqualTo(new double[] { 5, 10, 20, 40, 80, 160 }));
    }

    [Test]
    public void Forget_AfterFailures_NextRetryWaitsTheBaseDelay()
    {
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromSeconds(1));
        Take();
        _queue.Done("a");

        _queue.Forget("a");
        _queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.That(_queue.Length, Is.EqualTo(1));
        Assert.That(_queue.NumRequeues("a"), Is.EqualTo(1));
    }

    [Test]
    public void AddRateLimited_BurstSpent_TheOverallBucketHoldsBackTheRest()
    {
        for (var i = 0; i < 101; i++)
        {
            _queue.AddRateLimited($"item-{i}");
        }

        _time.Advance(TimeSpan.FromMilliseconds(5));
        var afterBackoff = _queue.Length;
        _time.Advance(TimeSpan.FromMilliseconds(95));

        Assert.That(afterBackoff, Is.EqualTo(100));
        Assert.That(_queue.Length, Is.EqualTo(101));
    }

    [Test]
    public void ShutDown_WaitingGetter_LearnsOfTheShutdown()
    {
        var pending = _queue.GetAsync();

        _queue.ShutDown();

        Assert.That(pending.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(pending.Result.ShuttingDown, Is.True);
    }

    [Test]
    public void ShutDown_ItemsAlreadyReady_AreStillHandedOutFirst()
    {
        _queue.Add("a");
        _queue.ShutDown();

        var first = _queue.GetAsync().Result;
        var second = _queue.GetAsync().Result;

        Assert.That(first.Item, Is.EqualTo("a"));
        Assert.That(second.ShuttingDown, Is.True);
    }

    [Test]
    public void Add_AfterShutDown_IsIgnored()
    {
        _queue.ShutDown();

        _queue.Add("a");
        _queue.AddAfter("b", TimeSpan.FromSeconds(1));

        Assert.That((_queue.Length, _queue.WaitingCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ShutDown_DelayedItems_AreDropped()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _queue.ShutDown();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.That((_queue.Length, _queue.WaitingCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ShutDownWithDrainAsync_ItemInProcess_WaitsForDone()
    {
        _queue.Add("a");
        Take();

        var drained = _queue.ShutDownWithDrainAsync();
        var beforeDone = drained.IsCompleted;
        _queue.Done("a");

        Assert.That(beforeDone, Is.False);
        Assert.That(drained.Wait(TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void ShutDownWithDrainAsync_ReadyItems_WaitsUntilTheyAreProcessed()
    {
        _queue.Add("a");

        var drained = _queue.ShutDownWithDrainAsync();
        var beforeProcessing = drained.IsCompleted;
        Take();
        _queue.Done("a");

        Assert.That(beforeProcessing, Is.False);
        Assert.That(drained.Wait(TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void ShutDownWithDrainAsync_Idle_CompletesAtOnce()
    {
        Assert.That(_queue.ShutDownWithDrainAsync().IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void GetAsync_Cancelled_TheNextItemGoesToTheNextGetter()
    {
        using var cancel = new CancellationTokenSource();
        var cancelled = _queue.GetAsync(cancel.Token);
        cancel.Cancel();

        _queue.Add("a");

        Assert.That(cancelled.IsCanceled, Is.True);
        Assert.That(Take(), Is.EqualTo("a"));
    }

    [Test]
    public async Task Workers_ManyAddsOfFewKeys_NeverProcessOneKeyTwiceAtOnce()
    {
        using var queue = new RateLimitingQueue<int>(TimeProvider.System);
        var inFlight = new int[4];
        var overlaps = 0;
        var processed = 0;

        async Task Worker()
        {
            while (true)
            {
                var next = await queue.GetAsync();
                if (next.ShuttingDown)
                {
                    return;
                }

                if (Interlocked.Increment(ref inFlight[next.Item]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Increment(ref processed);
                Interlocked.Decrement(ref inFlight[next.Item]);
                queue.Done(next.Item);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            queue.Add(i % inFlight.Length);
            if (i % 64 == 0)
            {
                await Task.Yield();
            }
        }

        await queue.ShutDownWithDrainAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(overlaps, Is.Zero);
        Assert.That(processed, Is.GreaterThan(0));
    }
}
