using System.Globalization;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Resources;

namespace Serval.LocalCluster.Tables;

/// <summary>The columns <c>kubectl get</c> shows for built-in kinds (a useful subset of kube-apiserver's printers).</summary>
internal static class BuiltInColumns
{
    public static PrinterColumn Name { get; } = new("Name", "string", "name",
        "Name must be unique within a namespace.", 0, (o, _) => o.StringAtPath("metadata", "name"));

    public static PrinterColumn Age { get; } = new("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.", 0,
        (o, now) => HumanDuration.Since(o.StringAtPath("metadata", "creationTimestamp"), now));

    public static IReadOnlyList<PrinterColumn> Default { get; } = [Name, Age];

    public static IReadOnlyList<PrinterColumn> Namespaces { get; } =
    [
        Name,
        Str("Status", "The status of the namespace", o => o.StringAtPath("status", "phase")),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> Pods { get; } =
    [
        Name,
        Str("Ready", "The aggregate readiness state of this pod for accepting traffic.", PodReady),
        Str("Status", "The aggregate status of the containers in this pod.", o => o.StringAtPath("metadata", "deletionTimestamp") is null
            ? o.StringAtPath("status", "reason") ?? o.StringAtPath("status", "phase") ?? "Pending"
            : "Terminating"),
        Int("Restarts", "The number of times the containers in this pod have been restarted.", o =>
            (o.At("status", "containerStatuses") as JsonArray)?.Sum(c => (c as JsonObject).LongAt("restartCount") ?? 0) ?? 0),
        Age,
        new("IP", "string", "", "IP address allocated to the pod.", 1, (o, _) => o.StringAtPath("status", "podIP") ?? "<none>"),
        new("Node", "string", "", "Name of the node the pod is assigned to.", 1, (o, _) => o.StringAtPath("spec", "nodeName") ?? "<none>"),
    ];

    public static IReadOnlyList<PrinterColumn> Deployments { get; } =
    [
        Name,
        Str("Ready", "Number of the pod with ready state", o => Inv($"{L(o, "status", "readyReplicas")}/{L(o, "spec", "replicas")}")),
        Int("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
            o => L(o, "status", "updatedReplicas")),
        Int("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
            o => L(o, "status", "availableReplicas")),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> ReplicaSets { get; } =
    [
        Name,
        Int("Desired", "Number of desired pods.", o => L(o, "spec", "replicas")),
        Int("Current", "Number of actual replicas.", o => L(o, "status", "replicas")),
        Int("Ready", "The number of ready replicas for this replica set.", o => L(o, "status", "readyReplicas")),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> Services { get; } =
    [
        Name,
        Str("Type", "The type of service.", o => o.StringAtPath("spec", "type") ?? "ClusterIP"),
        Str("Cluster-IP", "The cluster IP of the service.", o => o.StringAtPath("spec", "clusterIP") ?? "<none>"),
        Str("External-IP", "The external IP of the service.", o => ExternalIps(o)),
        Str("Port(s)", "The ports of the service.", ServicePorts),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> ConfigMaps { get; } =
    [
        Name,
        Int("Data", "Number of data entries.", o => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> Secrets { get; } =
    [
        Name,
        Str("Type", "The type of the secret.", o => o.StringAt("type") ?? "Opaque"),
        Int("Data", "Number of data entries.", o => (o["data"] as JsonObject)?.Count ?? 0),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> HorizontalPodAutoscalers { get; } =
    [
        Name,
        Str("Reference", "The reference to the scaled resource.", o =>
            $"{o.StringAtPath("spec", "scaleTargetRef", "kind")}/{o.StringAtPath("spec", "scaleTargetRef", "name")}"),
        Str("Targets", "The current and target metric values.", HpaTargets),
        Int("MinPods", "The lower limit for the number of pods.", o => (o.At("spec", "minReplicas") as JsonValue) is null ? 1 : L(o, "spec", "minReplicas")),
        Int("MaxPods", "The upper limit for the number of pods.", o => L(o, "spec", "maxReplicas")),
        Int("Replicas", "Current number of replicas.", o => L(o, "status", "currentReplicas")),
        Age,
    ];

    public static IReadOnlyList<PrinterColumn> Events { get; } =
    [
        new("Last Seen", "string", "", "Time since the event was last seen.", 0, (o, now) =>
            HumanDuration.Since(o.StringAt("lastTimestamp") ?? o.StringAt("eventTime") ?? o.StringAtPath("metadata", "creationTimestamp"), now)),
        Str("Type", "The type of the event.", o => o.StringAt("type")),
        Str("Reason", "The reason of the event.", o => o.StringAt("reason")),
        Str("Object", "The object the event is about.", o =>
            $"{o.StringAtPath("involvedObject", "kind")?.ToLowerInvariant()}/{o.StringAtPath("involvedObject", "name")}"),
        Str("Message", "The message of the event.", o => o.StringAt("message")),
    ];

    public static IReadOnlyList<PrinterColumn> CustomResourceDefinitions { get; } =
    [
        Name,
        Str("Created At", "When the definition was created.", o => o.StringAtPath("metadata", "creationTimestamp")),
    ];

    private static PrinterColumn Str(string name, string description, Func<JsonObject, string?> cell) =>
        new(name, "string", "", description, 0, (o, _) => cell(o) is { } s ? JsonValue.Create(s) : null);

    private static PrinterColumn Int(string name, string description, Func<JsonObject, long> cell) =>
        new(name, "integer", "", description, 0, (o, _) => JsonValue.Create(cell(o)));

    private static long L(JsonObject o, params string[] path) =>
        path.Length == 0 ? 0 : ((o.At(path[..^1]) as JsonObject).LongAt(path[^1]) ?? 0);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string PodReady(JsonObject o)
    {
        var total = (o.At("spec", "containers") as JsonArray)?.Count ?? 0;
        var ready = (o.At("status", "containerStatuses") as JsonArray)?.Count(c => c?["ready"]?.GetValue<bool>() == true) ?? 0;
        return Inv($"{ready}/{total}");
    }

    private static string ExternalIps(JsonObject o)
    {
        var ips = (o.At("spec", "externalIPs") as JsonArray)?.Select(JsonObjects.ScalarText).ToList() ?? [];
        if (o.At("status", "loadBalancer", "ingress") is JsonArray ingress)
        {
            ips.AddRange(ingress.Select(i => (i as JsonObject).StringAt("ip") ?? (i as JsonObject).StringAt("hostname") ?? string.Empty));
        }

        if (ips.Count > 0)
        {
            return string.Join(",", ips);
        }

        return o.StringAtPath("spec", "type") == "LoadBalancer" ? "<pending>" : "<none>";
    }

    private static string ServicePorts(JsonObject o)
    {
        if (o.At("spec", "ports") is not JsonArray ports || ports.Count == 0)
        {
            return "<none>";
        }

        return string.Join(",", ports.OfType<JsonObject>().Select(p =>
        {
            var text = Inv($"{p.LongAt("port")}");
            if (p.LongAt("nodePort") is { } nodePort)
            {
                text += Inv($":{nodePort}");
            }

            return $"{text}/{p.StringAt("protocol") ?? "TCP"}";
        }));
    }

    private static string HpaTargets(JsonObject o)
    {
        if (o.At("spec", "metrics") is not JsonArray metrics || metrics.Count == 0)
        {
            return "<none>";
        }

        var current = o.At("status", "currentMetrics") as JsonArray;
        var parts = new List<string>();
        for (var i = 0; i < metrics.Count; i++)
        {
            var target = metrics[i] as JsonObject;
            var type = target.StringAt("type") ?? string.Empty;
            var key = char.ToLowerInvariant(type.FirstOrDefault()) + (type.Length > 1 ? type[1..] : string.Empty);
            var targetValue = (target?[key] as JsonObject)?["target"] as JsonObject;
            var currentValue = (current is not null && i < current.Count ? current[i]?[key] as JsonObject : null)?["current"] as JsonObject;
            parts.Add($"{MetricValue(currentValue)}/{MetricValue(targetValue)}");
        }

        return string.Join(", ", parts);
    }

    private static string MetricValue(JsonObject? value)
    {
        if (value is null)
        {
            return "<unknown>";
        }

        if (value.LongAt("averageUtilization") is { } utilization)
        {
            return Inv($"{utilization}%");
        }

        return JsonObjects.ScalarText(value["averageValue"] ?? value["value"]);
    }
}
