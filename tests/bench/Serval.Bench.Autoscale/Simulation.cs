using Serval.Operator.Metrics;

namespace Serval.Bench.Autoscale;

/// <summary>
/// A discrete-event simulation of one revision behind a load balancer: Poisson arrivals from a trace,
/// one FIFO queue feeding every free slot of every ready replica (a replica has <see cref="WorkerProfile.Slots"/>
/// slots and answers in <see cref="WorkerProfile.ServiceSeconds"/>), pods that serve only after the start delay,
/// and pods removed by a scale-down finishing the request they hold. The policy under test is asked for replicas
/// on its own period and sees only what it would see in a cluster (scrapes, CPU).
/// </summary>
internal sealed class Simulation
{
    private const double Step = 0.1;
    private static readonly double[] LatencyBounds =
        [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, double.PositiveInfinity];

    private readonly SimSettings _settings;
    private readonly Random _random;
    private readonly PriorityQueue<double, double> _slots = new();
    private readonly PriorityQueue<double, double> _inService = new();
    private readonly Queue<double> _waiting = new();
    private readonly List<double> _startingReadyAt = [];
    private readonly double[] _latencyCounts = new double[LatencyBounds.Length];
    private readonly double[] _busyBySecond;
    private readonly int[] _readyBySecond;
    private readonly List<float>[] _latencyBySecond;
    private int _retiringSlots;
    private double _nextArrival;
    private double _succeeded;
    private double _rejected;
    private double _latencySum;
    private double _busySeconds;
    private int _target;

    public Simulation(SimSettings settings, Trace trace, int initialReplicas)
    {
        _settings = settings;
        Trace = trace;
        _random = new Random(settings.Seed);
        _busyBySecond = new double[trace.Seconds];
        _readyBySecond = new int[trace.Seconds];
        _latencyBySecond = Enumerable.Range(0, trace.Seconds).Select(_ => new List<float>()).ToArray();
        Replicas = new int[trace.Seconds];
        Violations = new int[trace.Seconds];
        Arrivals = new int[trace.Seconds];
        AddReady(initialReplicas);
        _target = initialReplicas;
        _nextArrival = NextArrival(0);
    }

    public Trace Trace { get; }

    public SimSettings Settings => _settings;

    public double Now { get; private set; }

    public int Ready { get; private set; }

    public int Starting => _startingReadyAt.Count;

    /// <summary>Requests waiting for a free slot now.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Replicas asked for: ready plus starting.</summary>
    public int Current => Ready + Starting;

    public int[] Replicas { get; }

    public int[] Violations { get; }

    public int[] Arrivals { get; }

    public int ScaleActions { get; private set; }

    public double ReplicaSeconds { get; private set; }

    /// <summary>p95 latency of the requests that arrived in each second (refused ones as infinitely slow), NaN without any.</summary>
    public double[] P95BySecond() => _latencyBySecond.Select(l =>
    {
        if (l.Count == 0)
        {
            return double.NaN;
        }

        l.Sort();
        return (double)l[Math.Min(l.Count - 1, (int)Math.Ceiling(0.95 * l.Count) - 1)];
    }).ToArray();

    /// <summary>Runs the whole trace under <paramref name="policy"/>.</summary>
    public void Run(IScalingPolicy policy)
    {
        var periodSteps = (int)Math.Round(policy.PeriodSeconds / Step);
        var steps = (int)Math.Round(Trace.Seconds / Step);
        for (var i = 1; i <= steps; i++)
        {
            var until = i * Step;
            Advance(until);
            Now = until;
            PromoteReadyPods();
            ReplicaSeconds += Current * Step;
            var second = Math.Min(Trace.Seconds - 1, (int)(until - 1e-9));
            Replicas[second] = Current;
            _readyBySecond[second] = Ready;
            if (i % periodSteps == 0)
            {
                Scale(policy.Decide(this));
            }
        }
    }

    /// <summary>What scraping every worker and adding the figures up would read now.</summary>
    public WorkerSnapshot Scrape()
    {
        while (_inService.TryPeek(out _, out var finish) && finish <= Now)
        {
            _inService.Dequeue();
        }

        var cumulative = new double[LatencyBounds.Length];
        double running = 0;
        for (var b = 0; b < cumulative.Length; b++)
        {
            running += _latencyCounts[b];
            cumulative[b] = running;
        }

        return new WorkerSnapshot(
            DateTimeOffset.UnixEpoch.AddSeconds(Now), _succeeded, 0, _rejected, LatencyBounds, cumulative, _latencySum,
            _busySeconds, _inService.Count + _waiting.Count, _waiting.Count);
    }

    /// <summary>Average CPU use of the ready replicas over the last <paramref name="seconds"/>, 0 to 1.</summary>
    public double CpuUtilization(int seconds)
    {
        var end = Math.Min(Trace.Seconds, (int)Math.Round(Now));
        double busy = 0, capacity = 0;
        for (var s = Math.Max(0, end - seconds); s < end; s++)
        {
            busy += _busyBySecond[s];
            capacity += _readyBySecond[s] * _settings.Profile.Slots;
        }

        return capacity > 0 ? Math.Min(1, busy / capacity) : 0;
    }

    private void Scale(int desired)
    {
        desired = Math.Clamp(desired, _settings.MinReplicas, _settings.MaxReplicas);
        if (desired != _target)
        {
            ScaleActions++;
            _target = desired;
        }

        while (Current < desired)
        {
            _startingReadyAt.Add(Now + _settings.PodStartSeconds);
        }

        // Pods that are not serving yet go first, newest first, as the ReplicaSet controller picks them.
        while (Current > desired && _startingReadyAt.Count > 0)
        {
            _startingReadyAt.RemoveAt(_startingReadyAt.Count - 1);
        }

        while (Current > desired)
        {
            Ready--;
            _retiringSlots += _settings.Profile.Slots;
        }
    }

    private void PromoteReadyPods()
    {
        var ready = _startingReadyAt.RemoveAll(t => t <= Now + 1e-9);
        AddReady(ready);
    }

    private void AddReady(int pods)
    {
        Ready += pods;
        for (var i = 0; i < pods * _settings.Profile.Slots; i++)
        {
            _slots.Enqueue(Now, Now);
        }
    }

    private void Advance(double until)
    {
        while (true)
        {
            var horizon = Math.Min(_nextArrival, until);
            while (_waiting.Count > 0 && TryPeekSlot(out var free) && free <= horizon)
            {
                _slots.Dequeue();
                Serve(_waiting.Dequeue(), free);
            }

            if (_nextArrival >= until)
            {
                return;
            }

            var second = Math.Min(Trace.Seconds - 1, (int)_nextArrival);
            Arrivals[second]++;
            if (_waiting.Count >= Math.Max(1, Ready) * _settings.MaxQueuePerReplica)
            {
                _rejected++;
                Violations[second]++;
                _latencyBySecond[second].Add(float.PositiveInfinity);
            }
            else
            {
                _waiting.Enqueue(_nextArrival);
            }

            _nextArrival = NextArrival(_nextArrival);
        }
    }

    private bool TryPeekSlot(out double free)
    {
        while (_slots.TryPeek(out _, out free))
        {
            if (_retiringSlots == 0)
            {
                return true;
            }

            _slots.Dequeue();
            _retiringSlots--;
        }

        return false;
    }

    private void Serve(double arrival, double free)
    {
        var start = Math.Max(arrival, free);
        var service = _settings.Profile.ServiceSeconds;
        var finish = start + service;
        _slots.Enqueue(finish, finish);
        _inService.Enqueue(finish, finish);
        var latency = finish - arrival;
        var second = Math.Min(Trace.Seconds - 1, (int)arrival);
        _latencyBySecond[second].Add((float)latency);
        if (latency > _settings.SloSeconds)
        {
            Violations[second]++;
        }

        _succeeded++;
        _latencySum += latency;
        _busySeconds += service / _settings.Profile.Slots;
        _busyBySecond[Math.Min(Trace.Seconds - 1, (int)start)] += service;
        var bucket = Array.FindIndex(LatencyBounds, b => latency <= b);
        _latencyCounts[bucket]++;
    }

    /// <summary>The next Poisson arrival after <paramref name="t"/>, the rate constant within each second.</summary>
    private double NextArrival(double t)
    {
        while (t < Trace.Seconds)
        {
            var rate = Trace.RateAt(t);
            var secondEnd = Math.Floor(t) + 1;
            if (rate > 0)
            {
                var next = t - (Math.Log(1 - _random.NextDouble()) / rate);
                if (next < secondEnd)
                {
                    return next;
                }
            }

            t = secondEnd;
        }

        return double.PositiveInfinity;
    }
}
