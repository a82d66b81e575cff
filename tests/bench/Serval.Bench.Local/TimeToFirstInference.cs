using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Serval.Operator.Local;

namespace Serval.Bench.Local;

/// <summary>
/// Applies an InferenceService to a running local mode and times, from the apply, each step the system takes up to
/// the first successful V2 inference through the proxy: the operator's Deployment, the pod, its process running,
/// the worker ready, the InferenceService Ready, the first 200 answer. Polls the in-process API server every 5 ms
/// and sends an inference every 5 ms, so each figure is late by at most that.
/// </summary>
internal static class TimeToFirstInference
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static async Task<Milestones> MeasureAsync(LocalMode local, string manifest, string name, byte[] request, HttpClient http)
    {
        var url = local.UrlOf("default", name).GetLeftPart(UriPartial.Authority);
        var clock = Stopwatch.StartNew();
        local.Server.ApplyManifests(manifest, "bench");
        double deployment = double.NaN, pod = double.NaN, running = double.NaN, podReady = double.NaN, ready = double.NaN;
        using var stop = new CancellationTokenSource(Deadline);
        var first = FirstInferenceAsync(http, url, name, request, clock, stop.Token);
        while (!first.IsCompleted && !stop.IsCancellationRequested)
        {
            var now = clock.Elapsed.TotalSeconds;
            if (double.IsNaN(deployment) && local.Server.List("apps/v1", "Deployment", "default").Any(d => Owned(d, name)))
            {
                deployment = now;
            }

            var pods = local.Server.List("v1", "Pod", "default").Where(p => Owned(p, name)).ToList();
            if (double.IsNaN(pod) && pods.Count > 0)
            {
                pod = now;
            }

            if (double.IsNaN(running) && pods.Any(p => p["status"]?["phase"]?.GetValue<string>() == "Running"))
            {
                running = now;
            }

            if (double.IsNaN(podReady) && pods.Any(p => HasTrueCondition(p, "Ready")))
            {
                podReady = now;
            }

            if (double.IsNaN(ready) && local.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", name) is { } isvc && HasTrueCondition(isvc, "Ready"))
            {
                ready = now;
            }

            await Task.Delay(5);
        }

        var inference = await first;
        return new Milestones(deployment, pod, running, podReady, ready, inference);
    }

    private static async Task<double> FirstInferenceAsync(HttpClient http, string url, string model, byte[] body, Stopwatch clock, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            try
            {
                using var response = await http.PostAsync(new Uri($"{url}/v2/models/{model}/infer"), content, ct);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
                // The proxy's listener is not up yet.
            }

            await Task.Delay(5, ct);
        }

        return double.NaN;
    }

    private static bool Owned(JsonObject obj, string name) =>
        obj["metadata"]?["labels"]?["serval.dev/inferenceservice"]?.GetValue<string>() == name;

    private static bool HasTrueCondition(JsonObject obj, string type) =>
        obj["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == "True");
}
