using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Rollout;
using Serval.Operator.Rollout.Canary;

namespace Serval.Operator.Tests.Rollout.Canary;

/// <summary>The canary strategy's capacity rules on top of the state machine: what share the canary really gets.</summary>
public sealed class CanaryRolloutTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    private static RolloutContext AtStepTwo(RevisionObservation canary, string phase = "Progressing")
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = "mlp", NamespaceProperty = "default", Uid = "uid-1", Generation = 2 },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Uri = "configmap://models/mlp-v2.onnx" },
                Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 4 },
                Rollout = new RolloutSpec { Strategy = "Canary", Steps = [25, 50], StepIntervalSeconds = 30 },
            },
        };
        var status = new CanaryRevisionStatus
        {
            Name = "mlp-bbbb",
            Phase = phase,
            Step = 2,
            TrafficPercent = 33,
            StartedAt = Now.AddSeconds(-40).UtcDateTime,
            StepStartedAt = Now.AddSeconds(-5).UtcDateTime,
            FailedChecks = 0,
        };
        var revisions = new Dictionary<string, RevisionObservation>(StringComparer.Ordinal)
        {
            ["aaaa"] = new("aaaa", 2, 2, true),
            ["bbbb"] = canary,
        };
        return new RolloutContext(service, service.Resolve(), "bbbb", new RevisionStatus { Name = "mlp-aaaa" }, status, revisions,
            new Dictionary<string, MetricsStatus>(StringComparer.Ordinal), Now);
    }

    [Test]
    public void Decide_StepThatAddsCanaryPods_KeepsTheReadyPodsServing()
    {
        // Step 2 (50 %) asks for a second canary pod: the revision is not ready as a whole until it starts, but the
        // first pod, which served step 1, must keep its share meanwhile rather than drop to none.
        var decision = new CanaryRollout(null, null).Decide(AtStepTwo(new RevisionObservation("bbbb", 2, 1, Ready: false)));

        Assert.That(decision.Canary!.TrafficPercent, Is.EqualTo(33), "1 of 3 ready pods");
        Assert.That(decision.CanaryReplicas, Is.EqualTo(2));
        Assert.That(decision.Canary.Phase, Is.EqualTo("Progressing"));
    }

    [Test]
    public void Decide_CanaryWithTrafficAndNoReadyPod_GetsNone()
    {
        var decision = new CanaryRollout(null, null).Decide(AtStepTwo(new RevisionObservation("bbbb", 2, 0, Ready: false)));

        Assert.That(decision.Canary!.TrafficPercent, Is.Zero);
    }

    [Test]
    public void Decide_CanaryNotYetGivenTraffic_WaitsForTheWholeRevisionToBeReady()
    {
        var context = AtStepTwo(new RevisionObservation("bbbb", 2, 1, Ready: false));
        context = context with { Canary = new CanaryRevisionStatus { Name = "mlp-bbbb", Phase = "Progressing", Step = 0, StartedAt = Now.AddSeconds(-5).UtcDateTime } };

        var decision = new CanaryRollout(null, null).Decide(context);

        Assert.That(decision.Canary!.TrafficPercent, Is.Zero);
        Assert.That(decision.Canary.Step, Is.Zero);
    }
}
