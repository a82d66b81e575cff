using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serval.Controllers.Memory;
using Serval.Controllers.Monitoring;

namespace Serval.Controllers.Tests.Memory;

/// <summary>When the trimmer compacts the heap: only idle at two looks, after a burst, and not too often.</summary>
public sealed class MemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ScriptedHeap _heap = null!;
    private ControllerMetrics _metrics = null!;

    [SetUp]
    public void SetUp()
    {
        _heap = new ScriptedHeap();
        _metrics = new ControllerMetrics(Prometheus.Metrics.NewCustomRegistry());
    }

    private MemoryTrimmer Trimmer(TimeSpan? minInterval = null) => new(
        new MemoryTrimOptions { MinAllocatedBytes = 64 * MiB, MinInterval = minInterval ?? TimeSpan.FromSeconds(60) },
        _heap, _time, NullLogger.Instance, _metrics);

    [Test]
    public void Look_IdleTwiceInARow_AfterABurst_Compacts()
    {
        var trimmer = Trimmer();
        _heap.Allocate(200 * MiB);

        var first = trimmer.Look(idle: true);
        var second = trimmer.Look(idle: true);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.False, "one idle look could be a pause between two reconciles");
            Assert.That(second, Is.True);
            Assert.That(_heap.Compactions, Is.EqualTo(1));
            Assert.That(_metrics.MemoryTrims.Value, Is.EqualTo(1));
            Assert.That(_metrics.MemoryTrimmedBytes.Value, Is.EqualTo(20 * MiB), "the committed bytes the compaction gave back");
        });
    }

    [Test]
    public void Look_BusyInBetween_WaitsForTwoIdleLooksAgain()
    {
        var trimmer = Trimmer();
        _heap.Allocate(200 * MiB);

        var looks = new[] { trimmer.Look(idle: true), trimmer.Look(idle: false), trimmer.Look(idle: true) };

        Assert.Multiple(() =>
        {
            Assert.That(looks, Is.All.False);
            Assert.That(_heap.Compactions, Is.Zero);
        });
    }

    [Test]
    public void Look_TooLittleAllocatedSinceTheLastTrim_DoesNothing()
    {
        var trimmer = Trimmer(minInterval: TimeSpan.Zero);
        _heap.Allocate(200 * MiB);
        trimmer.Look(idle: true);
        trimmer.Look(idle: true);

        // An idle process's trickle: 10 MiB more, at many looks.
        _heap.Allocate(10 * MiB);
        for (var i = 0; i < 10; i++)
        {
            trimmer.Look(idle: true);
        }

        Assert.That(_heap.Compactions, Is.EqualTo(1));
    }

    [Test]
    public void Look_ASecondBurstSoonAfter_WaitsForTheInterval()
    {
        var trimmer = Trimmer(minInterval: TimeSpan.FromSeconds(60));
        _heap.Allocate(200 * MiB);
        trimmer.Look(idle: true);
        trimmer.Look(idle: true);

        _heap.Allocate(200 * MiB);
        _time.Advance(TimeSpan.FromSeconds(30));
        var soon = trimmer.Look(idle: true);
        _time.Advance(TimeSpan.FromSeconds(30));
        var later = trimmer.Look(idle: true);

        Assert.Multiple(() =>
        {
            Assert.That(soon, Is.False);
            Assert.That(later, Is.True);
            Assert.That(_heap.Compactions, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_LooksAtEveryCheckInterval_AndStopsWhenCancelled()
    {
        var trimmer = new MemoryTrimmer(
            new MemoryTrimOptions { CheckInterval = TimeSpan.FromSeconds(2), MinAllocatedBytes = 64 * MiB }, _heap, _time, NullLogger.Instance);
        _heap.Allocate(200 * MiB);
        var idleLooks = 0;
        using var stop = new CancellationTokenSource();
        var run = trimmer.RunAsync(() => Interlocked.Increment(ref idleLooks) > 0, stop.Token);

        for (var i = 0; i < 2; i++)
        {
            var before = Volatile.Read(ref idleLooks);
            _time.Advance(TimeSpan.FromSeconds(2));
            await Eventually(() => Volatile.Read(ref idleLooks) > before);
        }

        await Eventually(() => _heap.Compactions == 1);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(run.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void Options_ANonPositiveInterval_IsRefusedWithItsValue()
    {
        var error = Assert.Throws<ArgumentException>(() => new MemoryTrimOptions { CheckInterval = TimeSpan.Zero }.Validate());

        Assert.That(error!.Message, Does.Contain("CheckInterval").And.Contain("00:00:00"));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out");
            await Task.Delay(5);
        }
    }

    /// <summary>A heap whose allocations the test makes; a compaction gives back 20 MiB of committed memory.</summary>
    private sealed class ScriptedHeap : IManagedHeap
    {
        private long _allocated;
        private long _committed = 100 * MiB;

        public int Compactions { get; private set; }

        public void Allocate(long bytes) => _allocated += bytes;

        public HeapReading Read() => new(_allocated, _committed, 50 * MiB);

        public void Compact()
        {
            Compactions++;
            _committed -= 20 * MiB;
        }
    }
}
