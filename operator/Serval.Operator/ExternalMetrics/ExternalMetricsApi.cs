using System.Globalization;
using System.Text.Json.Nodes;
using Serval.Operator.Revisions;
using Serval.Operator.Scaling;

namespace Serval.Operator.ExternalMetrics;

/// <summary>
/// The <c>external.metrics.k8s.io/v1beta1</c> API as the HPA calls it through the aggregator: one metric,
/// <see cref="HpaBuilder.DesiredReplicasMetric"/>, whose value for a revision's label selector is the replica
/// count the autoscaler decided, so an AverageValue target of 1 makes the HPA want exactly that many.
/// Pure request-to-response functions; <see cref="ExternalMetricsServer"/> serves them over HTTPS.
/// </summary>
internal static class ExternalMetricsApi
{
    public const string Group = "external.metrics.k8s.io";
    public const string GroupVersion = Group + "/v1beta1";
    public const string BasePath = "/apis/" + GroupVersion;

    /// <summary>The discovery document of the group version.</summary>
    public static JsonObject Discovery() => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = GroupVersion,
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = HpaBuilder.DesiredReplicasMetric,
            ["singularName"] = "",
            ["namespaced"] = true,
            ["kind"] = "ExternalMetricValueList",
            ["verbs"] = new JsonArray("get"),
        }),
    };

    /// <summary>Answers <c>GET {BasePath}/namespaces/{ns}/{metric}?labelSelector=…</c>: an HTTP status and its JSON body.</summary>
    public static (int Status, JsonObject Body) Get(string ns, string metric, string? labelSelector, DesiredReplicasStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!string.Equals(metric, HpaBuilder.DesiredReplicasMetric, StringComparison.Ordinal))
        {
            return (404, Status(404, "NotFound", $"external metric \"{metric}\" is not served; the only one is \"{HpaBuilder.DesiredReplicasMetric}\""));
        }

        Dictionary<string, string> labels;
        try
        {
            labels = ParseSelector(labelSelector);
        }
        catch (FormatException e)
        {
            return (400, Status(400, "BadRequest", e.Message));
        }

        if (ServalLabels.ValueOf(labels, ServalLabels.InferenceService) is not { Length: > 0 } service
            || ServalLabels.ValueOf(labels, ServalLabels.Revision) is not { Length: > 0 } revision)
        {
            return (400, Status(400, "BadRequest",
                $"labelSelector \"{labelSelector}\" must select {ServalLabels.InferenceService} and {ServalLabels.Revision} with '='"));
        }

        var items = new JsonArray();
        if (store.Get(new RevisionKey(ns, service, revision)) is { } decision)
        {
            var metricLabels = new JsonObject();
            foreach (var (k, v) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                metricLabels[k] = v;
            }

            items.Add(new JsonObject
            {
                ["metricName"] = metric,
                ["metricLabels"] = metricLabels,
                ["timestamp"] = decision.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["value"] = decision.Replicas.ToString(CultureInfo.InvariantCulture),
            });
        }

        return (200, new JsonObject
        {
            ["kind"] = "ExternalMetricValueList",
            ["apiVersion"] = GroupVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        });
    }

    /// <summary>Equality selectors only (<c>a=b,c==d</c>), which is what an HPA's matchLabels turn into.</summary>
    internal static Dictionary<string, string> ParseSelector(string? selector)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(selector))
        {
            return labels;
        }

        foreach (var term in selector.Split(','))
        {
            var text = term.Trim();
            var at = text.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || text.Contains("!=", StringComparison.Ordinal))
            {
                throw new FormatException($"labelSelector term \"{text}\" is not supported: use key=value");
            }

            var key = text[..at].Trim();
            var value = text[(at + 1)..].TrimStart('=').Trim();
            if (!labels.TryAdd(key, value) && labels[key] != value)
            {
                throw new FormatException($"labelSelector selects {key} twice with different values");
            }
        }

        return labels;
    }

    internal static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
