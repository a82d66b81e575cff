using System.Text.Json.Nodes;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.GitOps;

/// <summary>docs/argocd/health.lua, run by Debian's Lua 5.4 against InferenceService statuses the operator writes.</summary>
public sealed class ArgoHealthCheckTests
{
    private static readonly string Script = Repository.Path("docs", "argocd", "health.lua");

    private static async Task<(string Status, string Message)> HealthAsync(string objectJson)
    {
        using var lua = Tool.Lua();
        var driver = $"""
            obj = {LuaTable.From(JsonNode.Parse(objectJson))}
            local hs = dofile("{Script}")
            io.write(hs.status, "\n", hs.message or "")
            """;

        var output = (await lua.RunAsync(TimeSpan.FromSeconds(30), driver, "-")).Ok();
        var lines = output.Split('\n', 2);
        return (lines[0], lines.Length > 1 ? lines[1] : "");
    }

    private static string Service(long generation, string status) =>
        $$"""{"apiVersion": "serving.serval.dev/v1alpha1", "kind": "InferenceService", "metadata": {"name": "mlp", "generation": {{generation}}}, "status": {{status}}}""";

    private const string AllTrue = """
        [{"type": "Ready", "status": "True", "reason": "AsExpected", "message": "2/2 replicas ready"},
         {"type": "RevisionReady", "status": "True", "reason": "AsExpected"},
         {"type": "TrafficReady", "status": "True", "reason": "AsExpected"},
         {"type": "RolloutHealthy", "status": "True", "reason": "AsExpected"}]
        """;

    [Test]
    public async Task Ready_IsHealthy()
    {
        var (status, message) = await HealthAsync(Service(3, $$"""{"observedGeneration": 3, "conditions": {{AllTrue}}}"""));

        Assert.That((status, message), Is.EqualTo(("Healthy", "2/2 replicas ready")));
    }

    [Test]
    public async Task StaleObservedGeneration_IsProgressing()
    {
        var (status, message) = await HealthAsync(Service(4, $$"""{"observedGeneration": 3, "conditions": {{AllTrue}}}"""));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Progressing"));
            Assert.That(message, Does.Contain("generation 4"));
        });
    }

    [Test]
    public async Task NoStatusYet_IsProgressing()
    {
        var (status, _) = await HealthAsync("""{"metadata": {"name": "mlp", "generation": 1}}""");

        Assert.That(status, Is.EqualTo("Progressing"));
    }

    [Test]
    public async Task CanaryMovingThroughItsSteps_IsProgressing()
    {
        var (status, message) = await HealthAsync(Service(2, """
            {"observedGeneration": 2, "conditions": [
               {"type": "Ready", "status": "True", "reason": "AsExpected"},
               {"type": "RevisionReady", "status": "True", "reason": "AsExpected"},
               {"type": "TrafficReady", "status": "True", "reason": "AsExpected"},
               {"type": "RolloutHealthy", "status": "True", "reason": "RolloutProgressing"}],
             "canaryRevision": {"name": "mlp-7c9f", "trafficPercent": 25, "step": 1, "phase": "Progressing"}}
            """));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Progressing"));
            Assert.That(message, Is.EqualTo("Canary revision mlp-7c9f at 25% of the traffic (step 1)"));
        });
    }

    [Test]
    public async Task RolledBackCanary_IsDegradedWithTheReason()
    {
        var (status, message) = await HealthAsync(Service(2, """
            {"observedGeneration": 2, "conditions": [
               {"type": "Ready", "status": "True", "reason": "AsExpected"},
               {"type": "RolloutHealthy", "status": "False", "reason": "AnalysisFailed", "message": "error rate 4.2% above 1%"}],
             "canaryRevision": {"name": "mlp-7c9f", "trafficPercent": 0, "phase": "RolledBack"}}
            """));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Degraded"));
            Assert.That(message, Is.EqualTo("Rollout of revision mlp-7c9f rolledback: error rate 4.2% above 1%"));
        });
    }

    [Test]
    public async Task FailedCanary_IsDegraded()
    {
        var (status, _) = await HealthAsync(Service(2, $$$"""
            {"observedGeneration": 2, "conditions": {{{AllTrue}}}, "canaryRevision": {"name": "mlp-7c9f", "phase": "Failed"}}
            """));

        Assert.That(status, Is.EqualTo("Degraded"));
    }

    [TestCase("Ready", "ModelUnavailable")]
    [TestCase("RevisionReady", "Unschedulable")]
    [TestCase("TrafficReady", "GatewayNotFound")]
    [TestCase("Ready", "InvalidSpec")]
    public async Task AnyFalseCondition_IsDegradedNamingIt(string type, string reason)
    {
        var conditions = JsonNode.Parse(AllTrue)!.AsArray();
        var failing = conditions.Single(c => (string?)c!["type"] == type)!;
        failing["status"] = "False";
        failing["reason"] = reason;
        failing["message"] = "see the events";

        var (status, message) = await HealthAsync(Service(1, $$"""{"observedGeneration": 1, "conditions": {{conditions.ToJsonString()}}}"""));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Degraded"));
            Assert.That(message, Is.EqualTo($"{type} is False ({reason}): see the events"));
        });
    }

    [Test]
    public async Task FalseWhileReconciling_IsProgressing()
    {
        var (status, message) = await HealthAsync(Service(1, """
            {"observedGeneration": 1, "conditions": [
               {"type": "Ready", "status": "False", "reason": "Reconciling", "message": "creating revision mlp-5d2a"}]}
            """));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Progressing"));
            Assert.That(message, Does.Contain("creating revision mlp-5d2a"));
        });
    }

    [Test]
    public async Task PinnedCanary_IsSuspended()
    {
        var (status, message) = await HealthAsync(Service(2, $$$"""
            {"observedGeneration": 2, "conditions": {{{AllTrue}}},
             "canaryRevision": {"name": "mlp-7c9f", "trafficPercent": 20, "phase": "Paused"}}
            """));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Suspended"));
            Assert.That(message, Does.Contain("20%"));
        });
    }

    [Test]
    public async Task UnknownCondition_IsProgressing()
    {
        var (status, _) = await HealthAsync(Service(1, """
            {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "Unknown", "reason": "Reconciling"}]}
            """));

        Assert.That(status, Is.EqualTo("Progressing"));
    }
}
