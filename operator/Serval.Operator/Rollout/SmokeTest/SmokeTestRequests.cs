using System.Text.Json;

namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>Reads the smoke-test requests out of a ConfigMap's data: every key ending in <c>.json</c>, in key order.</summary>
internal static class SmokeTestRequests
{
    /// <summary>The requests, or an error that names the ConfigMap and the key.</summary>
    /// <param name="configMapName">The ConfigMap's name, for messages.</param>
    /// <param name="data">Its <c>data</c>, or null when the ConfigMap does not exist.</param>
    /// <param name="error">Why there are no requests to send, when the result is empty.</param>
    public static IReadOnlyList<SmokeTestRequest> Read(string configMapName, IDictionary<string, string>? data, out string? error)
    {
        if (data is null)
        {
            error = $"ConfigMap {configMapName} (rollout.smokeTest.configMapName) does not exist";
            return [];
        }

        var requests = new List<SmokeTestRequest>();
        foreach (var (key, body) in data.Where(p => p.Key.EndsWith(".json", StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("inputs", out var inputs)
                    || inputs.ValueKind != JsonValueKind.Array)
                {
                    error = $"ConfigMap {configMapName} key {key}: not a V2 infer request (an object with an \"inputs\" array)";
                    return [];
                }
            }
            catch (JsonException e)
            {
                error = $"ConfigMap {configMapName} key {key}: not JSON ({e.Message})";
                return [];
            }

            requests.Add(new SmokeTestRequest(key, body));
        }

        error = requests.Count == 0 ? $"ConfigMap {configMapName} has no key ending in .json" : null;
        return requests;
    }
}
