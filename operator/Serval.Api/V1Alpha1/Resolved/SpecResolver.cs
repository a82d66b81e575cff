using k8s;
using k8s.Models;

namespace Serval.Api.V1Alpha1;

/// <summary>Applies the defaults of <see cref="InferenceServiceDefaults"/> to a valid InferenceService.</summary>
internal static class SpecResolver
{
    public static ResolvedSpec Resolve(InferenceService service, string? defaultWorkerImage = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = service.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidSpecException(errors);
        }

        var spec = service.Spec;
        var name = service.Metadata?.Name
            ?? throw new InvalidSpecException("invalid InferenceService: metadata.name: Required value");
        var resources = Copy(spec.Resources) ?? new V1ResourceRequirements();
        return new ResolvedSpec(
            Model(spec.Model!, name),
            Runtime(spec.Runtime, defaultWorkerImage ?? InferenceServiceDefaults.WorkerImage),
            Batching(spec.Batching),
            resources,
            GpuResources.Limits(resources),
            spec.Accelerator is { } a ? new ResolvedAccelerator(a.Product, a.MinMemoryMiB) : null,
            Scheduling(spec.Scheduling),
            Autoscaling(spec.Autoscaling),
            Rollout(spec.Rollout),
            Traffic(spec.Traffic, service.Metadata.NamespaceProperty ?? "default"));
    }

    private static ResolvedModel Model(ModelSpec model, string serviceName) =>
        new(ModelUri.Parse(model.Uri!), model.Sha256?.ToLowerInvariant(), model.Name ?? serviceName);

    private static ResolvedRuntime Runtime(RuntimeSpec? runtime, string defaultImage) => new(
        runtime?.Image ?? defaultImage,
        ParseEnum(runtime?.ExecutionProvider, InferenceServiceDefaults.ExecutionProvider),
        runtime?.IntraOpThreads ?? InferenceServiceDefaults.IntraOpThreads,
        runtime?.AuthTokenSecretRef is { } secret
            ? new ResolvedSecretKey(secret.Name!, secret.Key ?? InferenceServiceDefaults.AuthTokenKey)
            : null);

    private static ResolvedBatching Batching(BatchingSpec? batching) => new(
        batching?.MaxBatchSize ?? InferenceServiceDefaults.MaxBatchSize,
        batching?.MaxQueueDelayMicroseconds ?? InferenceServiceDefaults.MaxQueueDelayMicroseconds,
        batching?.MaxQueueLength ?? InferenceServiceDefaults.MaxQueueLength);

    private static ResolvedScheduling Scheduling(SchedulingSpec? scheduling) => new(
        scheduling?.NodeSelector is { } selector ? new Dictionary<string, string>(selector, StringComparer.Ordinal) : new Dictionary<string, string>(),
        [.. (scheduling?.Tolerations ?? []).Select(t => Copy(t)!)],
        Copy(scheduling?.Affinity),
        scheduling?.PriorityClassName,
        scheduling?.RuntimeClassName,
        [.. (scheduling?.TopologySpread ?? []).Select(t => Copy(t)!)],
        scheduling?.Spot ?? InferenceServiceDefaults.Spot);

    private static ResolvedAutoscaling Autoscaling(AutoscalingSpec? autoscaling) => new(
        autoscaling?.MinReplicas ?? InferenceServiceDefaults.MinReplicas,
        autoscaling?.MaxReplicas ?? InferenceServiceDefaults.MaxReplicas,
        ParseEnum(autoscaling?.Metric, InferenceServiceDefaults.Metric),
        autoscaling?.Target ?? InferenceServiceDefaults.Target,
        autoscaling?.LatencySloMilliseconds,
        autoscaling?.ScaleDownDelaySeconds ?? InferenceServiceDefaults.ScaleDownDelaySeconds);

    private static ResolvedRollout Rollout(RolloutSpec? rollout)
    {
        var analysis = rollout?.Analysis;
        return new ResolvedRollout(
            ParseEnum(rollout?.Strategy, InferenceServiceDefaults.Strategy),
            [.. (IEnumerable<int>?)rollout?.Steps ?? InferenceServiceDefaults.Steps],
            rollout?.StepIntervalSeconds ?? InferenceServiceDefaults.StepIntervalSeconds,
            rollout?.ProgressDeadlineSeconds ?? InferenceServiceDefaults.ProgressDeadlineSeconds,
            new ResolvedAnalysis(
                analysis?.MaxErrorRatePercent ?? InferenceServiceDefaults.MaxErrorRatePercent,
                analysis?.MaxLatencyP95Milliseconds ?? InferenceServiceDefaults.MaxLatencyP95Milliseconds,
                analysis?.MaxLatencyP95IncreasePercent,
                analysis?.MinRequests ?? InferenceServiceDefaults.MinRequests,
                analysis?.FailureThreshold ?? InferenceServiceDefaults.FailureThreshold),
            rollout?.CanaryTrafficPercent,
            rollout?.SmokeTest is { } smoke
                ? new ResolvedSmokeTest(smoke.ConfigMapName!, smoke.Tolerance ?? InferenceServiceDefaults.SmokeTestTolerance)
                : null);
    }

    private static ResolvedTraffic? Traffic(TrafficSpec? traffic, string serviceNamespace) =>
        traffic?.GatewayRef is { } gateway
            ? new ResolvedTraffic(gateway.Name!, gateway.Namespace ?? serviceNamespace, [.. traffic.Hostnames ?? []])
            : null;

    private static TEnum ParseEnum<TEnum>(string? value, TEnum fallback)
        where TEnum : struct, Enum =>
        value is null ? fallback : Enum.Parse<TEnum>(value);

    // The resolved spec must not change when the object it came from is edited later: copy the Kubernetes models.
    private static T? Copy<T>(T? value)
        where T : class =>
        value is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
