using k8s.Models;
using Serval.Controllers.Status;

namespace Serval.Controllers.Tests.Status;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    [Test]
    public void Set_NewCondition_AddsItWithTheTransitionTimeNow()
    {
        var conditions = new List<V1Condition>();

        var changed = Conditions.Set(conditions, "Ready", true, "Available", "all good", 3, T0);

        Assert.That(changed, Is.True);
        Assert.That(conditions, Has.Count.EqualTo(1));
        Assert.That(
            (conditions[0].Status, conditions[0].Reason, conditions[0].ObservedGeneration, conditions[0].LastTransitionTime),
            Is.EqualTo(("True", "Available", (long?)3, T0.UtcDateTime)));
    }

    [Test]
    public void Set_SameStatusNewReason_KeepsTheTransitionTime()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", false, "Progressing", "rolling out", 1, T0);

        var changed = Conditions.Set(conditions, "Ready", false, "Waiting", "waiting for pods", 2, T1);

        Assert.That(changed, Is.True);
        Assert.That(conditions[0].LastTransitionTime, Is.EqualTo(T0.UtcDateTime));
        Assert.That((conditions[0].Reason, conditions[0].Message, conditions[0].ObservedGeneration), Is.EqualTo(("Waiting", "waiting for pods", (long?)2)));
    }

    [Test]
    public void Set_StatusFlips_MovesTheTransitionTime()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", false, "Progressing", "rolling out", 1, T0);

        Conditions.Set(conditions, "Ready", true, "Available", "ready", 1, T1);

        Assert.That(conditions[0].LastTransitionTime, Is.EqualTo(T1.UtcDateTime));
    }

    [Test]
    public void Set_NothingDiffers_ReportsNoChange()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", true, "Available", "ready", 1, T0);

        var changed = Conditions.Set(conditions, "Ready", true, "Available", "ready", 1, T1);

        Assert.That(changed, Is.False);
        Assert.That(conditions[0].LastTransitionTime, Is.EqualTo(T0.UtcDateTime));
    }

    [Test]
    public void Set_SeveralTypes_KeepsOneConditionPerType()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", true, "Available", "", 1, T0);
        Conditions.Set(conditions, "ModelLoaded", true, "Loaded", "", 1, T0);
        Conditions.Set(conditions, "Ready", false, "Degraded", "", 1, T1);

        Assert.That(conditions.Select(c => $"{c.Type}={c.Status}"), Is.EqualTo(new[] { "Ready=False", "ModelLoaded=True" }));
        Assert.That(Conditions.IsFalse(conditions, "Ready") && Conditions.IsTrue(conditions, "ModelLoaded"), Is.True);
    }

    [Test]
    public void Set_ExplicitTransitionTime_IsUsedForANewCondition()
    {
        var conditions = new List<V1Condition>();
        var given = T0.AddDays(-1).UtcDateTime;

        Conditions.Set(conditions, new V1Condition { Type = "Ready", Status = "True", Reason = "Available", LastTransitionTime = given }, T0);

        Assert.That(conditions[0].LastTransitionTime, Is.EqualTo(given));
    }

    [Test]
    public void Set_InvalidStatus_NamesTheConditionAndValue()
    {
        var error = Assert.Throws<ArgumentException>(
            () => Conditions.Set([], new V1Condition { Type = "Ready", Status = "Yes", Reason = "Available" }, T0));

        Assert.That(error!.Message, Does.Contain("Ready").And.Contain("'Yes'"));
    }

    [Test]
    public void Set_ReasonWithSpaces_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Conditions.Set([], "Ready", true, "not camel case", "", 1, T0));

        Assert.That(error!.Message, Does.Contain("reason").And.Contain("'not camel case'"));
    }

    [Test]
    public void Remove_ExistingType_RemovesOnlyThatOne()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", true, "Available", "", 1, T0);
        Conditions.Set(conditions, "ModelLoaded", true, "Loaded", "", 1, T0);

        Assert.That(Conditions.Remove(conditions, "Ready"), Is.True);
        Assert.That(conditions.Select(c => c.Type), Is.EqualTo(new[] { "ModelLoaded" }));
        Assert.That(Conditions.Remove(conditions, "Ready"), Is.False);
    }
}
