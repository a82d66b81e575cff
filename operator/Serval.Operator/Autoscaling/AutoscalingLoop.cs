using System.Collections.Concurrent;
using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Operator.ExternalMetrics;
using Serval.Operator.Metrics;
using Serval.Operator.Revisions;
using Serval.Operator.Rollout.Canary;
using Serval.Operator.Status;

namespace Serval.Operator.Autoscaling;

/// <summary>
/// The autoscaler's shell: every <see cref="AutoscalingOptions.ScrapeInterval"/> it reads the ready worker pods of
/// every revision (from the informer caches), decides each revision's replicas with <see cref="Autoscaler"/>,
/// publishes them for the external metrics API, sets them on the Deployments at once (while leading; the HPAs read
/// the same decision), records an Event when a decision changes, and hands the figures
/// to the reconciler (which alone writes status) by enqueueing the InferenceService.
/// </summary>
internal sealed partial class AutoscalingLoop : IRevisionObservations, ICanaryMetrics, IDisposable
{
    /// <summary>How far back scrapes are kept for canary analysis windows, when that is longer than the stable window.</summary>
    private static readonly TimeSpan CanaryRetention = TimeSpan.FromMinutes(5);

    // The scrape windows are written by the loop and read by reconciles (canary analysis).
    private readonly Lock _windows = new();
    private readonly AutoscalingOptions _options;
    private readonly WorkerScraper _scraper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<RevisionKey, RevisionAutoscaling> _revisions = [];
    private readonly ConcurrentDictionary<ObjectKey, ServiceFigures> _services = new();
    private readonly ConcurrentDictionary<(ObjectKey, string), MetricsStatus> _revisionMetrics = new();
    private readonly Dictionary<ObjectKey, ResolvedAt> _scaling = [];

    public AutoscalingLoop(AutoscalingOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time;
        _logger = logger;
        _scraper = new WorkerScraper(options.ScrapeTimeout, options.MaxConcurrentScrapes, time, logger, options.HttpHandler);
    }

    /// <summary>The decisions served to the HPAs.</summary>
    public DesiredReplicasStore Decisions { get; } = new();

    public MetricsStatus? Metrics(ObjectKey service) => _services.TryGetValue(service, out var f) ? f.Metrics : null;

    public AutoscalingStatus? Autoscaling(ObjectKey service) => _services.TryGetValue(service, out var f) ? f.Autoscaling : null;

    public MetricsStatus? RevisionMetrics(ObjectKey service, string revision) =>
        _revisionMetrics.TryGetValue((service, revision), out var m) ? m : null;

    /// <summary>
    /// The revision's figures since <paramref name="since"/>, from the scrapes themselves (counter deltas and
    /// histogram bucket deltas over exactly that span, at most a scrape interval earlier where the first scrape
    /// falls), so a canary step is judged on its own traffic, not on a trailing average that reaches into the step
    /// before. Up to five minutes back (or the stable window, if longer); an older start gets a shorter window.
    /// </summary>
    public RevisionWindow? Window(ObjectKey service, string revision, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(service);
        var now = _time.GetUtcNow();
        WindowFigures? figures;
        TimeSpan span;
        lock (_windows)
        {
            if (!_revisions.TryGetValue(new RevisionKey(service.Namespace ?? string.Empty, service.Name, revision), out var state) || now <= since)
            {
                return null;
            }

            span = now - since < state.Window.Retention ? now - since : state.Window.Retention;
            figures = state.Window.Figures(now, span);
        }

        if (figures is null)
        {
            return null;
        }

        var requests = (long)Math.Round(figures.RequestCount);
        return new RevisionWindow(
            requests,
            (long)Math.Round(figures.FailedCount),
            requests > 0 ? figures.LatencyP95Milliseconds : null,
            span);
    }

    /// <summary>Ticks until cancelled.</summary>
    public async Task RunAsync(AutoscalingInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var timer = new PeriodicTimer(_options.ScrapeInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await TickAsync(inputs, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KubernetesApiException or HttpRequestException)
                {
                    // An Event that could not be written must not stop scaling: the next tick tries again.
                    LogTickFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>One scrape and decision round over every InferenceService.</summary>
    public async Task TickAsync(AutoscalingInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var plans = new List<(InferenceService Service, ServiceScaling Scaling, RevisionKey Key, V1Deployment Deployment, List<V1Pod> Ready)>();
        var services = inputs.Services.List();
        foreach (var service in services)
        {
            if (ScalingOf(service) is not { } scaling)
            {
                continue; // invalid: the reconciler reports it
            }

            // Through the label index: a service's own Deployments and pods, not every one in its namespace.
            var ns = service.Metadata.NamespaceProperty;
            var name = service.Metadata.Name;
            var owned = CacheIndexes.LabelValue(ServalLabels.InferenceService, name);
            var deployments = inputs.Deployments.ByIndex(CacheIndexes.Label, owned);
            if (deployments.Count == 0)
            {
                continue;
            }

            var pods = inputs.Pods.ByIndex(CacheIndexes.Label, owned);
            foreach (var deployment in deployments)
            {
                if (deployment.Metadata?.NamespaceProperty != ns
                    || ServalLabels.ValueOf(deployment.Metadata?.Labels, ServalLabels.Revision) is not { Length: > 0 } revision)
                {
                    continue;
                }

                var ready = new List<V1Pod>();
                foreach (var pod in pods)
                {
                    if (pod.Metadata?.NamespaceProperty == ns
                        && ServalLabels.ValueOf(pod.Metadata.Labels, ServalLabels.Revision) == revision
                        && pod.Metadata.DeletionTimestamp is null
                        && WorkerScraper.TargetOf(pod) is not null)
                    {
                        ready.Add(pod);
                    }
                }

                plans.Add((service, scaling, new RevisionKey(ns, name, revision), deployment, ready));
            }
        }

        var targets = plans.SelectMany(p => p.Ready.Select(WorkerScraper.TargetOf)).OfType<ScrapeTarget>().ToList();
        var scraped = await _scraper.ScrapeAsync(targets, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var live = new HashSet<RevisionKey>();
        foreach (var plan in plans)
        {
            live.Add(plan.Key);
            await DecideAsync(plan.Service, plan.Scaling, plan.Key, plan.Deployment, plan.Ready, scraped, now, inputs, cancellationToken).ConfigureAwait(false);
        }

        lock (_windows)
        {
            foreach (var gone in _revisions.Keys.Where(k => !live.Contains(k)).ToList())
            {
                _revisions.Remove(gone);
                _revisionMetrics.TryRemove((new ObjectKey(gone.Namespace, gone.Service), gone.Revision), out _);
            }
        }

        Decisions.RetainOnly(live);
        if (_scaling.Count > services.Count)
        {
            var present = services.Select(ObjectKey.Of).ToHashSet();
            foreach (var gone in _scaling.Keys.Where(k => !present.Contains(k)).ToList())
            {
                _scaling.Remove(gone);
            }
        }
        foreach (var group in plans.GroupBy(p => new ObjectKey(p.Key.Namespace, p.Key.Service)))
        {
            Summarise(group.Key, group.Select(p => _revisions[p.Key]).ToList(), now, inputs);
        }
    }

    /// <summary>
    /// The service's autoscaling settings and policy, or null when its spec is invalid. Resolving validates the whole
    /// object by reflection, which every tick would repeat for every service; it depends only on the spec, so the
    /// outcome is kept per uid and generation (an object without both is resolved every time).
    /// </summary>
    private ServiceScaling? ScalingOf(InferenceService service)
    {
        var key = ObjectKey.Of(service);
        var uid = service.Metadata.Uid;
        var generation = service.Metadata.Generation;
        if (uid is { Length: > 0 } && generation is not null
            && _scaling.TryGetValue(key, out var known) && known.Uid == uid && known.Generation == generation)
        {
            return known.Scaling;
        }

        ServiceScaling? scaling;
        try
        {
            var settings = service.Resolve().Autoscaling;
            scaling = new ServiceScaling(settings, AutoscalePolicy.From(settings) with { StableWindow = _options.StableWindow, PanicWindow = _options.PanicWindow });
        }
        catch (InvalidSpecException)
        {
            scaling = null;
        }

        if (uid is { Length: > 0 } && generation is not null)
        {
            _scaling[key] = new ResolvedAt(uid, generation.Value, scaling);
        }

        return scaling;
    }

    private async Task DecideAsync(
        InferenceService service, ServiceScaling scaling, RevisionKey key, V1Deployment deployment, List<V1Pod> ready,
        IReadOnlyDictionary<string, WorkerSnapshot?> scraped, DateTimeOffset now, AutoscalingInputs inputs, CancellationToken cancellationToken)
    {
        var policy = scaling.Policy;
        RevisionAutoscaling revision;
        WindowFigures? stable;
        WindowFigures? panic;
        WindowFigures? latest;
        var missing = 0;
        lock (_windows)
        {
            if (!_revisions.TryGetValue(key, out revision!))
            {
                var longest = policy.StableWindow > CanaryRetention ? policy.StableWindow : CanaryRetention;
                revision = new RevisionAutoscaling(longest + (2 * _options.ScrapeInterval));
                _revisions[key] = revision;
            }

            var readyNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pod in ready)
            {
                var podName = pod.Metadata.Name;
                readyNames.Add(podName);
                if (scraped.TryGetValue(podName, out var snapshot) && snapshot is not null)
                {
                    revision.Window.Record(podName, snapshot);
                }
                else
                {
                    missing++;
                }
            }

            foreach (var gone in revision.Window.Pods.Where(p => !readyNames.Contains(p)).ToList())
            {
                revision.Window.Forget(gone);
            }

            stable = revision.Window.Figures(now, policy.StableWindow);
            panic = revision.Window.Figures(now, policy.PanicWindow);
            latest = revision.Window.Figures(now, _options.ScrapeInterval * 1.5);
        }

        revision.Figures = stable;
        if (stable is not null)
        {
            _revisionMetrics[(new ObjectKey(key.Namespace, key.Service), key.Revision)] = ToStatus(stable, now);
        }

        if (scaling.Settings.Metric == AutoscalingMetric.Cpu)
        {
            return; // a plain CPU HPA decides; the figures still go to status
        }

        var current = deployment.Spec?.Replicas ?? scaling.Settings.MinReplicas;
        var observed = new AutoscaleObservation(stable, panic, current, ready.Count, missing) { Latest = latest };
        var previous = revision.Last;
        var decision = Autoscaler.Decide(policy, observed, revision.State, now);
        if (decision.Equals(previous))
        {
            decision = previous; // the one kept since the last tick: what a tick keeps should not change when nothing did
        }

        revision.State = decision.State;
        revision.Last = decision;
        Decisions.Set(key, new DesiredReplicas(decision.DesiredReplicas, now));
        await ScaleDirectlyAsync(key, deployment, current, decision, inputs, cancellationToken).ConfigureAwait(false);
        if (previous is not null && previous.DesiredReplicas != decision.DesiredReplicas)
        {
            LogDecision(_logger, key.Namespace, key.Service, key.Revision, previous.DesiredReplicas, decision.DesiredReplicas, decision.Reason);
            if (inputs.Events is { } events && inputs.Leads?.Invoke() != false)
            {
                await events.NormalAsync(
                    service, "AutoscalerDecision", "Scale",
                    $"revision {key.Revision}: {previous.DesiredReplicas} -> {decision.DesiredReplicas} replicas ({decision.Reason})",
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sets the Deployment's replicas to the decision now rather than at the HPA's next sync, when the HPA scales this
    /// revision from the operator's decision (so it will agree) and the count read from the cache is still the live one.
    /// A stale count is refused by the server and left to the next tick; any other refusal leaves the change to the HPA.
    /// A Deployment at zero replicas is left alone, as the HPA leaves it: the reconciler scaled it to zero (a revision
    /// traffic has left), and its HPA may not have left the cache yet.
    /// </summary>
    private async Task ScaleDirectlyAsync(
        RevisionKey key, V1Deployment deployment, int current, AutoscaleDecision decision, AutoscalingInputs inputs, CancellationToken cancellationToken)
    {
        var name = deployment.Metadata.Name;
        if (!_options.ScaleDirectly || inputs.Api is not { } api || inputs.Leads?.Invoke() == false || deployment.Spec?.Replicas is null or 0
            || decision.DesiredReplicas == current || deployment.Metadata.DeletionTimestamp is not null
            || !ScaledFromDecision(inputs.Autoscalers?.Get(key.Namespace, name), name))
        {
            return;
        }

        try
        {
            await api.ScaleAsync<V1Deployment>(key.Namespace, name, current, decision.DesiredReplicas, cancellationToken).ConfigureAwait(false);
            LogScaled(_logger, key.Namespace, name, current, decision.DesiredReplicas);
        }
        catch (KubernetesApiException e) when (e.StatusCode is System.Net.HttpStatusCode.UnprocessableEntity || e.IsConflict || e.IsNotFound)
        {
            LogScaleStale(_logger, key.Namespace, name, current);
        }
        catch (KubernetesApiException e)
        {
            LogScaleFailed(_logger, key.Namespace, name, e.Message);
        }
    }

    /// <summary>Whether <paramref name="hpa"/> scales Deployment <paramref name="deployment"/> from the operator's decision.</summary>
    private static bool ScaledFromDecision(V2HorizontalPodAutoscaler? hpa, string deployment) =>
        hpa?.Spec is { } spec && hpa.Metadata?.DeletionTimestamp is null
        && spec.ScaleTargetRef is { Kind: "Deployment" } target && target.Name == deployment
        && spec.Metrics is { Count: > 0 } metrics
        && metrics.All(m => m.Type == "External" && m.External?.Metric?.Name == Scaling.HpaBuilder.DesiredReplicasMetric);

    private void Summarise(ObjectKey service, List<RevisionAutoscaling> revisions, DateTimeOffset now, AutoscalingInputs inputs)
    {
        int? desired = null;
        string? reason = null;
        List<WindowFigures>? figures = null;
        foreach (var revision in revisions)
        {
            if (revision.Last is { } decision)
            {
                desired = (desired ?? 0) + decision.DesiredReplicas;
                reason = reason is null ? decision.Reason
                    : reason == decision.Reason || reason.Split("; ").Contains(decision.Reason, StringComparer.Ordinal) ? reason
                    : reason + "; " + decision.Reason;
            }

            if (revision.Figures is { } f)
            {
                (figures ??= []).Add(f);
            }
        }

        var before = _services.GetValueOrDefault(service);
        var changed = before is null
            || before.Autoscaling?.DesiredReplicas != desired
            || before.Autoscaling?.Reason != reason
            || (before.Metrics is null) != (figures is null)
            || (figures is not null && now - before.PublishedAt >= _options.StatusInterval);

        // Unchanged figures are refreshed every StatusInterval (observedAt moves); a service with none has nothing to
        // refresh, and re-reconciling every such service every interval is the whole idle cost of a large fleet. Its
        // summary is kept as it is: the loop allocates nothing for it until something changes.
        if (!changed && figures is null)
        {
            return;
        }

        // A fresh loop (an operator restart) takes the last scale time from the object, so an unchanged decision
        // leaves status as it was.
        var previous = before?.Autoscaling ?? inputs.Services.Get(service.Namespace, service.Name)?.Status?.Autoscaling;
        var autoscaling = desired is null ? null : new AutoscalingStatus
        {
            DesiredReplicas = desired,
            Reason = reason,
            LastScaleTime = previous?.DesiredReplicas == desired && previous?.LastScaleTime is { } last ? last : now.UtcDateTime,
        };
        var metrics = figures is null ? null : ToStatus(Merge(figures), now);
        _services[service] = new ServiceFigures(metrics, autoscaling, changed ? now : before!.PublishedAt);
        if (changed)
        {
            inputs.Enqueue(service);
        }
    }

    private static WindowFigures Merge(List<WindowFigures> figures)
    {
        var rps = figures.Sum(f => f.RequestsPerSecond);
        double? Weighted(Func<WindowFigures, double?> pick) => figures.Any(f => pick(f) is not null)
            ? figures.Where(f => pick(f) is not null).Sum(f => pick(f)!.Value * Math.Max(f.RequestsPerSecond, 1e-9)) / figures.Where(f => pick(f) is not null).Sum(f => Math.Max(f.RequestsPerSecond, 1e-9))
            : null;
        return new WindowFigures(
            rps,
            figures.Sum(f => f.Concurrency),
            Weighted(f => f.LatencyP50Milliseconds),
            Weighted(f => f.LatencyP95Milliseconds),
            Weighted(f => f.ErrorRatePercent) ?? 0,
            null,
            figures.Sum(f => f.QueueGrowthPerSecond),
            figures.Sum(f => f.QueueDepth),
            figures.Sum(f => f.Pods));
    }

    private static MetricsStatus ToStatus(WindowFigures f, DateTimeOffset now) => new()
    {
        RequestsPerSecond = Math.Round(f.RequestsPerSecond, 2),
        Concurrency = Math.Round(f.Concurrency, 2),
        LatencyP50Milliseconds = f.LatencyP50Milliseconds is { } p50 ? Math.Round(p50, 2) : null,
        LatencyP95Milliseconds = f.LatencyP95Milliseconds is { } p95 ? Math.Round(p95, 2) : null,
        ErrorRatePercent = Math.Round(f.ErrorRatePercent, 3),
        ObservedAt = now.UtcDateTime,
    };

    public void Dispose() => _scraper.Dispose();

    private sealed record ResolvedAt(string Uid, long Generation, ServiceScaling? Scaling);

    /// <summary>What the loop needs of a service's spec: its autoscaling settings and the policy made of them.</summary>
    private sealed record ServiceScaling(ResolvedAutoscaling Settings, AutoscalePolicy Policy);

    private sealed record ServiceFigures(MetricsStatus? Metrics, AutoscalingStatus? Autoscaling, DateTimeOffset PublishedAt);
}
