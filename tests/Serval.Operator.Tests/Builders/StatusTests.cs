using System.Text.Json;
using k8s.Models;
using Serval.Api.V1Alpha1;
using Serval.Operator.Reconciliation;
using Serval.Operator.Status;

namespace Serval.Operator.Tests.Builders;

public sealed class StatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public void Invalid_SetsReadyFalseWithInvalidSpecAndTheMessage()
    {
        var status = StatusBuilder.Invalid(Specs.Service(), "spec.model.uri \"x\": bad", Now);
        var ready = status.Conditions!.Single();

        Assert.That((ready.Type, ready.Status, ready.Reason, ready.Message), Is.EqualTo(("Ready", "False", "InvalidSpec", "spec.model.uri \"x\": bad")));
        Assert.That(status.ObservedGeneration, Is.EqualTo(3));
    }

    [Test]
    public void SameAs_EqualContent_IsTrue_ChangedContent_IsFalse()
    {
        var one = StatusBuilder.Invalid(Specs.Service(), "bad", Now);
        var two = StatusBuilder.Invalid(Specs.Service(), "bad", Now);
        var three = StatusBuilder.Invalid(Specs.Service(), "worse", Now);

        Assert.That(StatusBuilder.SameAs(one, two), Is.True);
        Assert.That(StatusBuilder.SameAs(one, three), Is.False);
    }

    [Test]
    public void Diagnose_UnschedulablePod_SaysWhatTheSchedulerSaid()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Status = new V1PodStatus
            {
                Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu." }],
            },
        };

        var problem = PodDiagnosis.Diagnose([pod]);

        Assert.That(problem!.Reason, Is.EqualTo(ConditionReasons.Unschedulable));
        Assert.That(problem.Message, Does.Contain("Insufficient nvidia.com/gpu"));
    }

    [Test]
    public void Diagnose_ImagePullBackOff_NamesTheImage()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Status = new V1PodStatus
            {
                ContainerStatuses = [new V1ContainerStatus
                {
                    Name = "worker", Image = "nope:1", ImageID = string.Empty, Ready = false, RestartCount = 0,
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = "not found" } },
                }],
            },
        };

        Assert.That(PodDiagnosis.Diagnose([pod])!.Message, Does.Contain("cannot pull image nope:1"));
    }

    [Test]
    public void Contains_IgnoresAddedFieldsButNotChangedOnes()
    {
        var desired = Json("""{"spec":{"replicas":2,"ports":[{"name":"http"}],"note":null}}""");
        var defaulted = Json("""{"spec":{"replicas":2,"paused":false,"ports":[{"name":"http","protocol":"TCP"}]}}""");
        var drifted = Json("""{"spec":{"replicas":3,"ports":[{"name":"http"}]}}""");
        var extraItem = Json("""{"spec":{"replicas":2,"ports":[{"name":"http"},{"name":"x"}]}}""");
        var retyped = Json("""{"spec":{"replicas":"2","ports":[{"name":"http"}]}}""");
        var missing = Json("""{"spec":{"ports":[{"name":"http"}]}}""");

        Assert.That(AppliedState.Contains(defaulted, desired), Is.True);
        Assert.That(AppliedState.Contains(drifted, desired), Is.False);
        Assert.That(AppliedState.Contains(extraItem, desired), Is.False);
        Assert.That(AppliedState.Contains(retyped, desired), Is.False);
        Assert.That(AppliedState.Contains(missing, desired), Is.False);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
