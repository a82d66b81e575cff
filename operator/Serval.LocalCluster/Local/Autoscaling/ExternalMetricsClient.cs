using System.Text.Json;
using k8s.Models;

namespace Serval.LocalCluster.Local.Autoscaling;

/// <summary>
/// Reads external metrics the way the HPA does: <c>GET {base}/apis/external.metrics.k8s.io/v1beta1/namespaces/{ns}/{metric}?labelSelector=...</c>,
/// summing the items' values (an ExternalMetricValueList).
/// </summary>
public sealed class ExternalMetricsClient
{
    private readonly HttpClient _http;
    private readonly Uri _base;

    public ExternalMetricsClient(HttpClient http, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseAddress);
        _http = http;
        _base = baseAddress;
    }

    /// <summary>The sum of the metric's values; throws <see cref="InvalidOperationException"/> naming the metric when it cannot be read.</summary>
    public async Task<double> TotalAsync(string ns, string metric, V1LabelSelector? selector, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        var path = $"apis/external.metrics.k8s.io/v1beta1/namespaces/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(metric)}";
        var labels = Selector(selector);
        if (labels.Length > 0)
        {
            path += "?labelSelector=" + Uri.EscapeDataString(labels);
        }

        using var response = await _http.GetAsync(new Uri(_base, path), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"unable to get external metric {ns}/{metric}/{labels}: {(int)response.StatusCode} {body.Trim()}");
        }

        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"unable to get external metric {ns}/{metric}/{labels}: no metrics returned");
        }

        var total = 0.0;
        foreach (var item in items.EnumerateArray())
        {
            var value = item.TryGetProperty("value", out var v) ? v.ToString() : null;
            if (string.IsNullOrEmpty(value))
            {
                throw new InvalidOperationException($"external metric {ns}/{metric}: an item has no value");
            }

            total += (double)new ResourceQuantity(value).ToDecimal();
        }

        return total;
    }

    private static string Selector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return string.Empty;
        }

        var parts = (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}").ToList();
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", expression.Values ?? []);
            parts.Add(expression.OperatorProperty switch
            {
                "In" => $"{expression.Key} in ({values})",
                "NotIn" => $"{expression.Key} notin ({values})",
                "Exists" => expression.Key,
                "DoesNotExist" => "!" + expression.Key,
                _ => throw new InvalidOperationException($"label selector operator '{expression.OperatorProperty}' is not supported"),
            });
        }

        return string.Join(",", parts);
    }
}
