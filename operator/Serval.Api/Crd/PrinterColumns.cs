using k8s.Models;

namespace Serval.Api.Crd;

/// <summary>The columns <c>kubectl get inferenceservices</c> prints.</summary>
public static class PrinterColumns
{
    /// <summary>Every column, in order; priority 1 columns appear with <c>-o wide</c>.</summary>
    public static IReadOnlyList<V1CustomResourceColumnDefinition> All { get; } =
    [
        Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether the service answers requests."),
        Column("URL", "string", ".status.url", "Where clients send requests."),
        Column("Replicas", "integer", ".status.replicas", "Pods across all revisions."),
        Column("Canary", "integer", ".status.canaryRevision.trafficPercent", "The new revision's share of traffic, in percent, during a rollout."),
        Column("P95ms", "number", ".status.metrics.latencyP95Milliseconds", "95th percentile latency, in milliseconds."),
        Column("RPS", "number", ".status.metrics.requestsPerSecond", "Requests per second."),
        Column("Age", "date", ".metadata.creationTimestamp", "Time since creation."),
        Column("Phase", "string", ".status.canaryRevision.phase", "Where the latest rollout stands.", priority: 1),
        Column("Model", "string", ".spec.model.uri", "The model being served.", priority: 1),
    ];

    private static V1CustomResourceColumnDefinition Column(string name, string type, string jsonPath, string description, int? priority = null) =>
        new() { Name = name, Type = type, JsonPath = jsonPath, Description = description, Priority = priority };
}
