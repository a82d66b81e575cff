using System.Text.Json.Nodes;
using Serval.Api.Crd;
using Serval.LocalCluster.Requests;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Rbac;

/// <summary>
/// Every API call the operator makes while it reconciles the samples (create, canary update, delete) is allowed by the
/// ClusterRole and Roles the chart renders, and those rules hold no wildcard. The calls are the API server's own
/// record of the operator's requests (user agent serval-operator).
/// </summary>
public sealed class OperatorRbacTests
{
    private const string Ns = RenderedChart.Namespace;

    private static List<RbacRule> OperatorRules(RenderedChart chart) =>
        chart.OfKind("ClusterRole").Concat(chart.OfKind("Role"))
            .Where(r => !((string)r["metadata"]!["name"]!).EndsWith("-external-metrics-reader", StringComparison.Ordinal))
            .SelectMany(RbacRule.From)
            .ToList();

    private static bool Observed(JsonObject? service) =>
        service?["status"]?["observedGeneration"] is { } observed && observed.ToJsonString() == service["metadata"]!["generation"]!.ToJsonString();

    private static async Task<IReadOnlyList<RequestRecord>> RecordOperatorAsync()
    {
        await using var api = await ApiServer.StartAsync(Ns);
        api.Server.ApplyManifests(InferenceServiceCrd.ToYaml(), "test-setup");
        api.Server.Requests.Clear();
        using var kubectl = Tool.Kubectl(api.Kubeconfig);
        var op = await InProcessOperator.StartAsync(api, Ns);
        await using (op)
        {
            JsonObject? Get(string name) => api.Server.Get("serving.serval.dev/v1alpha1", "InferenceService", "default", name);
            bool HasDeployments(string name, int count) =>
                api.Server.List("apps/v1", "Deployment", "default").Count(d => (string?)d["metadata"]!["labels"]?["serval.dev/inferenceservice"] == name) >= count;

            (await kubectl.RunAsync("apply", "-f", Repository.Path("samples", "quickstart.yaml"))).Ok();
            (await kubectl.RunAsync("apply", "-f", Repository.Path("samples", "canary.yaml"))).Ok();
            await Eventually.TrueAsync(() => Observed(Get("mlp")) && Observed(Get("mlp-canary")) && HasDeployments("mlp", 1) && HasDeployments("mlp-canary", 1),
                "the operator to create both samples' revisions and report their status");

            (await kubectl.RunAsync("patch", "inferenceservice", "mlp-canary", "--type=merge", "-p",
                """{"spec":{"model":{"uri":"configmap://mlp-canary-models/mlp-v2.onnx"}}}""")).Ok();
            await Eventually.TrueAsync(() => Observed(Get("mlp-canary")) && HasDeployments("mlp-canary", 2),
                "the operator to start the canary revision of mlp-canary");

            (await kubectl.RunAsync("delete", "inferenceservice", "mlp", "--wait=true")).Ok();
            await Eventually.TrueAsync(() => Get("mlp") is null, "mlp to be deleted");
            await op.StopAsync();
        }

        return api.Server.Requests.Where(r => r.UserAgent?.StartsWith("serval-operator", StringComparison.Ordinal) == true);
    }

    [Test]
    public async Task OperatorCalls_WhileReconcilingTheSamples_AreAllAllowedByTheChartsRules()
    {
        var rules = OperatorRules(await RenderedChart.TemplateAsync());
        var records = await RecordOperatorAsync();
        // A server-side apply that creates its object is authorized as create as well as patch.
        var calls = records.Where(r => r.Resource.Length > 0)
            .SelectMany(r => r.Verb == "patch" && r.StatusCode == 201
                ? new[] { new ApiCall("patch", r.Group, r.Resource, r.Subresource, r.Namespace), new ApiCall("create", r.Group, r.Resource, r.Subresource, r.Namespace) }
                : [new ApiCall(r.Verb, r.Group, r.Resource, r.Subresource, r.Namespace)])
            .Distinct()
            .ToList();

        var denied = calls.Where(c => !rules.Any(rule => rule.Allows(c))).Select(c => c.ToString()).ToList();
        var used = calls.Select(c => (c.Group, c.ResourceName, c.Verb)).ToHashSet();
        var unused = rules.SelectMany(r => r.Grants().Select(g => (r.Role, g)))
            .Where(x => !used.Contains(x.g))
            .Select(x => $"{x.g.Verb} {(x.g.Group.Length == 0 ? "core" : x.g.Group)}/{x.g.Resource} ({x.Role})")
            .Distinct()
            .ToList();
        await TestContext.Out.WriteLineAsync($"RBAC: the operator made {records.Count} requests, {calls.Count} distinct resource calls:");
        foreach (var call in calls.Select(c => c.ToString()).Order(StringComparer.Ordinal))
        {
            await TestContext.Out.WriteLineAsync($"  {call}");
        }

        await TestContext.Out.WriteLineAsync($"RBAC warning: granted and not used in this run ({unused.Count}):");
        foreach (var grant in unused.Order(StringComparer.Ordinal))
        {
            await TestContext.Out.WriteLineAsync($"  {grant}");
        }

        await TestContext.Out.WriteLineAsync("RBAC: non-resource paths (allowed to every authenticated user by system:discovery): " +
            string.Join(", ", records.Where(r => r.Resource.Length == 0).Select(r => r.Path.Split('?')[0]).Distinct()));

        Assert.Multiple(() =>
        {
            Assert.That(calls, Has.Count.GreaterThan(10), "the operator made too few calls for this proof to mean anything");
            Assert.That(calls.Select(c => c.ResourceName), Is.SupersetOf(new[] { "inferenceservices", "inferenceservices/status", "deployments", "services", "leases" }));
            Assert.That(denied, Is.Empty, "calls the chart's RBAC would refuse");
        });
    }

    [TestCase]
    [TestCase("operator.watchNamespace=models")]
    public async Task OperatorRules_AllowTheAutoscalersDirectScaleWrite(params string[] sets)
    {
        // Scale writes need pods under load, which the recorded run above has none of; this is the call the autoscaling
        // loop sends (its server tests check it reaches the Deployment).
        var rules = OperatorRules(await RenderedChart.TemplateAsync(sets));
        var scale = new ApiCall("patch", "apps", "deployments", "scale", "models");

        Assert.That(rules.Any(rule => rule.Allows(scale)), Is.True, "patch deployments/scale is refused");
    }

    [TestCase]
    [TestCase("operator.watchNamespace=models")]
    public async Task OperatorRules_HaveNoWildcards(params string[] sets)
    {
        var rules = OperatorRules(await RenderedChart.TemplateAsync([.. sets, "externalMetrics.enabled=true"]));

        Assert.Multiple(() =>
        {
            Assert.That(rules, Is.Not.Empty);
            Assert.That(rules.Where(r => r.HasWildcard).Select(r => $"{r.Role}: {string.Join(',', r.Resources)}"), Is.Empty);
        });
    }

    [Test]
    public async Task ExternalMetricsReader_GrantsOnlyReadsOfThatApiGroup()
    {
        var chart = await RenderedChart.TemplateAsync("externalMetrics.enabled=true");
        var reader = RbacRule.From(chart.Single("ClusterRole", "serval-external-metrics-reader")).Single();

        // Metric names are the resources of external.metrics.k8s.io, so the resource is the one allowed wildcard.
        Assert.Multiple(() =>
        {
            Assert.That(reader.ApiGroups, Is.EqualTo(new[] { "external.metrics.k8s.io" }));
            Assert.That(reader.Verbs, Is.EquivalentTo(new[] { "get", "list", "watch" }));
        });
    }
}
