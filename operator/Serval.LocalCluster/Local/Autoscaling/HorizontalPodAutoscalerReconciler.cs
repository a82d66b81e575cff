using System.Globalization;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Reconciliation;
using Serval.LocalCluster.Local.Workloads;

namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// The HorizontalPodAutoscaler controller (autoscaling/v2) for Deployments and ReplicaSets: every sync period it
/// reads each metric (Resource cpu or memory from the worker processes, External from the external metrics API),
/// proposes replicas with <see cref="ReplicaCalculator"/>, settles them with <see cref="ScaleNormalizer"/>,
/// sets the target's spec.replicas and writes the HPA status (currentReplicas, desiredReplicas, currentMetrics,
/// lastScaleTime and the AbleToScale, ScalingActive and ScalingLimited conditions).
/// </summary>
public sealed class HorizontalPodAutoscalerReconciler : IReconciler<V2HorizontalPodAutoscaler>
{
    private readonly IKubernetesApi _api;
    private readonly ICacheReader<V2HorizontalPodAutoscaler> _autoscalers;
    private readonly ICacheReader<V1Deployment> _deployments;
    private readonly ICacheReader<V1ReplicaSet> _replicaSets;
    private readonly ICacheReader<V1Pod> _pods;
    private readonly ProcessUsage _usage;
    private readonly ExternalMetricsClient _external;
    private readonly LocalControllersOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScalingHistory> _histories = [];
    private readonly Dictionary<string, (DateTimeOffset At, long? Generation)> _lastSync = [];

    public HorizontalPodAutoscalerReconciler(
        IKubernetesApi api,
        ICacheReader<V2HorizontalPodAutoscaler> autoscalers,
        ICacheReader<V1Deployment> deployments,
        ICacheReader<V1ReplicaSet> replicaSets,
        ICacheReader<V1Pod> pods,
        ProcessUsage usage,
        ExternalMetricsClient external,
        LocalControllersOptions options,
        TimeProvider time)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _autoscalers = autoscalers ?? throw new ArgumentNullException(nameof(autoscalers));
        _deployments = deployments ?? throw new ArgumentNullException(nameof(deployments));
        _replicaSets = replicaSets ?? throw new ArgumentNullException(nameof(replicaSets));
        _pods = pods ?? throw new ArgumentNullException(nameof(pods));
        _usage = usage ?? throw new ArgumentNullException(nameof(usage));
        _external = external ?? throw new ArgumentNullException(nameof(external));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hpa = _autoscalers.Get(key.Namespace, key.Name);
        if (hpa is null || hpa.Metadata.DeletionTimestamp is not null)
        {
            lock (_gate)
            {
                _histories.Remove(key.ToString());
                _lastSync.Remove(key.ToString());
            }

            return ReconcileResult.Success;
        }

        var now = _time.GetUtcNow();

        // Its own status writes and other updates come back as events: like kube-controller-manager, sync each
        // autoscaler once per period (or at once when its spec changed), not on every event.
        lock (_gate)
        {
            if (_lastSync.TryGetValue(key.ToString(), out var last) && last.Generation == hpa.Metadata.Generation
                && now - last.At < _options.HorizontalPodAutoscalerSyncPeriod)
            {
                return ReconcileResult.RequeueAfter(_options.HorizontalPodAutoscalerSyncPeriod - (now - last.At));
            }

            _lastSync[key.ToString()] = (now, hpa.Metadata.Generation);
        }

        var ns = hpa.Metadata.NamespaceProperty;
        var status = new V2HorizontalPodAutoscalerStatus
        {
            ObservedGeneration = hpa.Metadata.Generation,
            LastScaleTime = hpa.Status?.LastScaleTime,
            CurrentReplicas = hpa.Status?.CurrentReplicas ?? 0,
            DesiredReplicas = hpa.Status?.DesiredReplicas ?? 0,
            CurrentMetrics = hpa.Status?.CurrentMetrics,
        };
        var conditions = new List<V2HorizontalPodAutoscalerCondition>();
        var target = Target(hpa);
        if (target is null)
        {
            var reference = hpa.Spec.ScaleTargetRef;
            Set(conditions, hpa, "AbleToScale", "False", "FailedGetScale",
                $"the HPA controller was unable to get the target's current scale: {reference.Kind.ToLowerInvariant()}s \"{reference.Name}\" not found (local mode scales Deployments and ReplicaSets)", now);
            await WriteStatusAsync(hpa, status, conditions, cancellationToken).ConfigureAwait(false);

            // A target created just after its autoscaler may not be cached yet: look again soon, not a period later.
            lock (_gate)
            {
                _lastSync.Remove(key.ToString());
            }

            var retry = TimeSpan.FromSeconds(1);
            return ReconcileResult.RequeueAfter(retry < _options.HorizontalPodAutoscalerSyncPeriod ? retry : _options.HorizontalPodAutoscalerSyncPeriod);
        }

        var (current, selector) = target.Value;
        status.CurrentReplicas = current;
        var min = hpa.Spec.MinReplicas ?? 1;
        var max = hpa.Spec.MaxReplicas;
        int desired;
        ScaleDecision? decision = null;
        if (current == 0 && min != 0)
        {
            desired = 0;
            Set(conditions, hpa, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
        }
        else if (current > max || current < min)
        {
            desired = Math.Clamp(current, min, max);
            Set(conditions, hpa, "ScalingActive", "True", "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count", now);
        }
        else
        {
            var pods = _pods.List(ns, LabelSelector.FromV1(selector) ?? LabelSelector.Everything).Where(PodState.IsActive).ToList();
            var (proposal, metrics, failure) = await ProposeAsync(hpa, current, pods, selector, cancellationToken).ConfigureAwait(false);
            if (proposal is null)
            {
                Set(conditions, hpa, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
                Set(conditions, hpa, "ScalingActive", "False", failure!.Value.Reason, failure.Value.Message, now);
                status.DesiredReplicas = current;
                await WriteStatusAsync(hpa, status, conditions, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.RequeueAfter(_options.HorizontalPodAutoscalerSyncPeriod);
            }

            status.CurrentMetrics = metrics;
            Set(conditions, hpa, "ScalingActive", "True", "ValidMetricFound",
                $"the HPA was able to successfully calculate a replica count from {metrics[0].Type.ToLowerInvariant()} metric", now);
            ScalingHistory history;
            lock (_gate)
            {
                if (!_histories.TryGetValue(key.ToString(), out var existing))
                {
                    existing = new ScalingHistory();
                    _histories[key.ToString()] = existing;
                }

                history = existing;
            }

            decision = ScaleNormalizer.Normalize(history, hpa.Spec.Behavior, current, proposal.Value, min, max, now);
            desired = decision.Replicas;
        }

        if (desired != current)
        {
            await ScaleAsync(hpa, desired, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_histories.TryGetValue(key.ToString(), out var history))
                {
                    history.RecordScale(current, desired, now);
                }
            }

            status.LastScaleTime = now.UtcDateTime;
            Set(conditions, hpa, "AbleToScale", "True", "SucceededRescale",
                $"the HPA controller was able to update the target scale to {desired.ToString(CultureInfo.InvariantCulture)}", now);
        }
        else if (decision is not null)
        {
            Set(conditions, hpa, "AbleToScale", "True", decision.AbleReason, decision.AbleMessage, now);
        }
        else
        {
            Set(conditions, hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", now);
        }

        if (decision is { Limited: true })
        {
            Set(conditions, hpa, "ScalingLimited", "True", decision.LimitReason, decision.LimitMessage, now);
        }
        else
        {
            Set(conditions, hpa, "ScalingLimited", "False", ScaleNormalizer.DesiredWithinRange, "the desired count is within the acceptable range", now);
        }

        status.DesiredReplicas = desired;
        await WriteStatusAsync(hpa, status, conditions, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.RequeueAfter(_options.HorizontalPodAutoscalerSyncPeriod);
    }

    private (int Replicas, V1LabelSelector Selector)? Target(V2HorizontalPodAutoscaler hpa)
    {
        var reference = hpa.Spec.ScaleTargetRef;
        var ns = hpa.Metadata.NamespaceProperty;
        return reference.Kind switch
        {
            "Deployment" when _deployments.Get(ns, reference.Name) is { } d => (d.Spec.Replicas ?? 1, d.Spec.Selector),
            "ReplicaSet" when _replicaSets.Get(ns, reference.Name) is { } r => (r.Spec.Replicas ?? 1, r.Spec.Selector),
            _ => null,
        };
    }

    private async Task<(int? Replicas, List<V2MetricStatus> Metrics, (string Reason, string Message)? Failure)> ProposeAsync(
        V2HorizontalPodAutoscaler hpa, int current, List<V1Pod> pods, V1LabelSelector selector, CancellationToken cancellationToken)
    {
        var statuses = new List<V2MetricStatus>();
        int? best = null;
        (string Reason, string Message)? failure = null;
        var ns = hpa.Metadata.NamespaceProperty;
        var tolerance = _options.HorizontalPodAutoscalerTolerance;
        foreach (var metric in hpa.Spec.Metrics ?? [DefaultCpu()])
        {
            try
            {
                switch (metric.Type)
                {
                    case "Resource" when metric.Resource is { } resource:
                    {
                        var samples = pods.Select(p => Sample(p, resource.Name)).ToList();
                        if (samples.Count == 0)
                        {
                            throw new InvalidOperationException($"no pods match the target's selector {selector}");
                        }

                        if (resource.Target.Type == "Utilization")
                        {
                            if (samples.Any(s => s.Request <= 0))
                            {
                                throw new InvalidOperationException($"missing request for {resource.Name}");
                            }

                            var proposal = ReplicaCalculator.ForUtilization(current, samples, resource.Target.AverageUtilization ?? 80, tolerance);
                            best = Math.Max(best ?? 0, proposal.Replicas);
                            statuses.Add(new V2MetricStatus
                            {
                                Type = "Resource",
                                Resource = new V2ResourceMetricStatus
                                {
                                    Name = resource.Name,
                                    Current = new V2MetricValueStatus
                                    {
                                        AverageUtilization = proposal.CurrentUtilization,
                                        AverageValue = Quantity(proposal.CurrentValue, resource.Name),
                                    },
                                },
                            });
                        }
                        else
                        {
                            var targetAverage = (double)(resource.Target.AverageValue?.ToDecimal() ?? 0m);
                            var total = samples.Sum(s => s.Usage ?? 0);
                            var proposal = ReplicaCalculator.ForAverageValue(current, total, targetAverage, tolerance);
                            best = Math.Max(best ?? 0, proposal.Replicas);
                            statuses.Add(new V2MetricStatus
                            {
                                Type = "Resource",
                                Resource = new V2ResourceMetricStatus
                                {
                                    Name = resource.Name,
                                    Current = new V2MetricValueStatus { AverageValue = Quantity(proposal.CurrentValue, resource.Name) },
                                },
                            });
                        }

                        break;
                    }

                    case "External" when metric.External is { } external:
                    {
                        var total = await _external.TotalAsync(ns, external.Metric.Name, external.Metric.Selector, cancellationToken).ConfigureAwait(false);
                        var ready = pods.Count(PodState.IsReady);
                        ReplicaProposal proposal;
                        V2MetricValueStatus value;
                        if (external.Target.Type == "Value")
                        {
                            proposal = ReplicaCalculator.ForValue(current, ready, total, (double)(external.Target.Value?.ToDecimal() ?? 0m), tolerance);
                            value = new V2MetricValueStatus { Value = Quantity(total, null) };
                        }
                        else
                        {
                            proposal = ReplicaCalculator.ForAverageValue(current, total, (double)(external.Target.AverageValue?.ToDecimal() ?? 0m), tolerance);
                            value = new V2MetricValueStatus { AverageValue = Quantity(proposal.CurrentValue, null) };
                        }

                        best = Math.Max(best ?? 0, proposal.Replicas);
                        statuses.Add(new V2MetricStatus
                        {
                            Type = "External",
                            External = new V2ExternalMetricStatus { Metric = external.Metric, Current = value },
                        });
                        break;
                    }

                    default:
                        throw new InvalidOperationException($"metric type '{metric.Type}' is not supported in local mode (Resource and External are)");
                }
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or ArgumentOutOfRangeException or System.Text.Json.JsonException or FormatException)
            {
                failure = (metric.Type == "External" ? "FailedGetExternalMetric" : "FailedGetResourceMetric",
                    $"the HPA was unable to compute the replica count: {e.Message}");
            }
        }

        // As the HPA does: one metric that cannot be read must not stop scaling up on the others, but scaling down needs them all.
        if (best is { } replicas && (failure is null || replicas > current))
        {
            return (replicas, statuses, null);
        }

        return (null, statuses, failure ?? ("FailedGetResourceMetric", "the HPA was unable to compute the replica count: no metrics"));
    }

    private PodSample Sample(V1Pod pod, string resource)
    {
        var request = pod.Spec?.Containers?.Sum(c =>
            c.Resources?.Requests?.TryGetValue(resource, out var q) == true ? (double)q.ToDecimal()
            : c.Resources?.Limits?.TryGetValue(resource, out var l) == true ? (double)l.ToDecimal()
            : 0) ?? 0;
        var usage = resource switch
        {
            "cpu" => _usage.CpuCores(pod.Metadata.Uid),
            "memory" => _usage.MemoryBytes(pod.Metadata.Uid),
            _ => throw new InvalidOperationException($"resource '{resource}' is not measured in local mode (cpu and memory are)"),
        };
        return new PodSample(usage, request, PodState.IsReady(pod));
    }

    private static V2MetricSpec DefaultCpu() => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 80 } },
    };

    private static ResourceQuantity Quantity(double value, string? resource)
    {
        if (resource == "cpu" || resource is null)
        {
            var milli = (long)Math.Round(value * 1000);
            return new ResourceQuantity(milli % 1000 == 0
                ? (milli / 1000).ToString(CultureInfo.InvariantCulture)
                : milli.ToString(CultureInfo.InvariantCulture) + "m");
        }

        return new ResourceQuantity(((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture));
    }

    private Task ScaleAsync(V2HorizontalPodAutoscaler hpa, int replicas, CancellationToken cancellationToken)
    {
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas.ToString(CultureInfo.InvariantCulture)}}}}}", V1Patch.PatchType.MergePatch);
        var ns = hpa.Metadata.NamespaceProperty;
        var name = hpa.Spec.ScaleTargetRef.Name;
        return hpa.Spec.ScaleTargetRef.Kind == "ReplicaSet"
            ? _api.PatchAsync<V1ReplicaSet>(ns, name, patch, cancellationToken)
            : _api.PatchAsync<V1Deployment>(ns, name, patch, cancellationToken);
    }

    private static void Set(
        List<V2HorizontalPodAutoscalerCondition> conditions, V2HorizontalPodAutoscaler hpa, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var previous = hpa.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
        conditions.RemoveAll(c => c.Type == type);
        conditions.Add(new V2HorizontalPodAutoscalerCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = previous is not null && previous.Status == status ? previous.LastTransitionTime : now.UtcDateTime,
        });
    }

    private async Task WriteStatusAsync(
        V2HorizontalPodAutoscaler hpa, V2HorizontalPodAutoscalerStatus status, List<V2HorizontalPodAutoscalerCondition> conditions, CancellationToken cancellationToken)
    {
        // Conditions this sync did not judge keep their last word.
        foreach (var old in hpa.Status?.Conditions ?? [])
        {
            if (conditions.All(c => c.Type != old.Type))
            {
                conditions.Add(old);
            }
        }

        status.Conditions = [.. conditions.OrderBy(c => c.Type switch { "AbleToScale" => 0, "ScalingActive" => 1, _ => 2 })];
        await _api.ApplyStatusAsync(
            new V2HorizontalPodAutoscaler
            {
                ApiVersion = "autoscaling/v2",
                Kind = "HorizontalPodAutoscaler",
                Metadata = new V1ObjectMeta { Name = hpa.Metadata.Name, NamespaceProperty = hpa.Metadata.NamespaceProperty },
                Status = status,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
