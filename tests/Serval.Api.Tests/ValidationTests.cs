using k8s.Models;
using Serval.Api.Schema;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

public sealed class ValidationTests
{
    private static InferenceService Minimal() => new()
    {
        Metadata = new V1ObjectMeta { Name = "mlp" },
        Spec = new InferenceServiceSpec { Model = new ModelSpec { Uri = "configmap://mlp-model/mlp.onnx" } },
    };

    [TestCaseSource(typeof(Samples), nameof(Samples.Valid))]
    public void Validate_ValidSample_FindsNothing(string file)
    {
        Assert.That(Samples.Service(Samples.ValidText(file)).Validate(), Is.Empty);
    }

    [TestCaseSource(typeof(Samples), nameof(Samples.Invalid))]
    public void Validate_InvalidSample_ReportsExactlyItsProblem(string file)
    {
        var yaml = Samples.InvalidText(file);

        var errors = Samples.Service(yaml).Validate();

        Assert.That(errors, Has.Count.EqualTo(1), () => string.Join("\n", errors));
        Assert.That(errors[0].Field, Is.EqualTo(Samples.Header(yaml, "field")));
        Assert.That(errors[0].ToString(), Does.Contain(Samples.Header(yaml, "expect")));
    }

    [Test]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var service = Minimal();
        service.Spec.Autoscaling = new AutoscalingSpec { MinReplicas = 0, Target = 0 };
        service.Spec.Batching = new BatchingSpec { MaxQueueDelayMicroseconds = -1 };

        var fields = service.Validate().Select(e => e.Field);

        Assert.That(fields, Is.EquivalentTo(new[] { "spec.autoscaling.minReplicas", "spec.autoscaling.target", "spec.batching.maxQueueDelayMicroseconds" }));
    }

    [Test]
    public void Validate_SeveralRulesBroken_ReportsEveryRule()
    {
        var service = Minimal();
        service.Spec.Autoscaling = new AutoscalingSpec { MinReplicas = 9, Metric = "Latency" };
        service.Spec.Rollout = new RolloutSpec { Steps = [30, 20] };

        var fields = service.Validate().Select(e => e.Field);

        Assert.That(fields, Is.EquivalentTo(new[] { "spec.autoscaling.minReplicas", "spec.autoscaling.latencySloMilliseconds", "spec.rollout.steps" }));
    }

    [Test]
    public void Validate_RequiredFieldMissing_SkipsTheRulesAsTheApiServerDoes()
    {
        var service = Minimal();
        service.Spec.Model = null;
        service.Spec.Autoscaling = new AutoscalingSpec { MinReplicas = 9 };

        Assert.That(service.Validate().Select(e => e.Field), Is.EqualTo(new[] { "spec.model" }));
    }

    [Test]
    public void Validate_BoundBroken_ReportsTheOffendingValue()
    {
        var service = Minimal();
        service.Spec.Autoscaling = new AutoscalingSpec { MaxReplicas = 5000 };

        var error = service.Validate().Single();

        Assert.That(error, Is.EqualTo(new ValidationError("spec.autoscaling.maxReplicas", ValidationErrorKind.Invalid, 5000,
            "spec.autoscaling.maxReplicas in body should be less than or equal to 1000")));
    }

    [Test]
    public void Validate_RuleWithFieldPath_ReportsTheFieldValue()
    {
        var service = Minimal();
        service.Spec.Model!.Uri = "s3://bucket/model.onnx";

        var error = service.Validate().Single();

        Assert.That((error.Field, error.Value), Is.EqualTo(("spec.model.uri", (object)"s3://bucket/model.onnx")));
    }

    [Test]
    public void Validate_BoundWordedAsTheApiServer_UsesGoFloatFormatting()
    {
        var service = Minimal();
        service.Spec.Batching = new BatchingSpec { MaxQueueDelayMicroseconds = 2_000_000 };

        Assert.That(service.Validate().Single().Message, Does.EndWith("should be less than or equal to 1e+06"));
    }

    [Test]
    public void Validate_TooLongString_ReportsTooLongWithoutTheValue()
    {
        var service = Minimal();
        service.Spec.Model!.Uri = "https://models.example.com/" + new string('a', 3000);

        Assert.That(service.Validate().Single().ToString(), Is.EqualTo("spec.model.uri: Too long: may not be more than 2048 bytes"));
    }

    [Test]
    public void Validate_MigSliceRequestEqualToLimit_IsValid()
    {
        var service = Minimal();
        service.Spec.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["nvidia.com/mig-1g.10gb"] = new("2") },
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/mig-1g.10gb"] = new("2") },
        };
        service.Spec.Runtime = new RuntimeSpec { ExecutionProvider = "Cuda" };

        Assert.That(service.Validate(), Is.Empty);
    }

    [Test]
    public void Validate_GpuLimitOfThousandMillis_IsAWholeGpu()
    {
        var service = Minimal();
        service.Spec.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1000m") } };

        Assert.That(service.Validate(), Is.Empty);
    }

    [Test]
    public void Validate_WildcardHostname_IsValid()
    {
        var service = Minimal();
        service.Spec.Traffic = new TrafficSpec { GatewayRef = new GatewayReference { Name = "gw" }, Hostnames = ["*.models.example.com"] };

        Assert.That(service.Validate(), Is.Empty);
    }

    [Test]
    public void Validate_EveryRule_HasAnInvalidSampleThatBreaksIt()
    {
        var expectations = Samples.Invalid().Select(f => Samples.Header(Samples.InvalidText(f), "expect")).ToList();
        var rules = new[]
        {
            typeof(InferenceService), typeof(InferenceServiceSpec), typeof(ModelSpec), typeof(BatchingSpec),
            typeof(AutoscalingSpec), typeof(RolloutSpec), typeof(TrafficSpec),
        }.SelectMany(TypeRules.For).Select(r => r.Message);

        Assert.That(rules.Where(m => !expectations.Exists(e => e.Contains(m, StringComparison.Ordinal) || m.Contains(e, StringComparison.Ordinal))), Is.Empty);
    }
}
