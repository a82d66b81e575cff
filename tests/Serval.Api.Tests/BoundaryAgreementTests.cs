using k8s;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

/// <summary>
/// Edge cases the samples do not cover, judged by both <see cref="InferenceService.Validate"/> and the generated
/// schema with its CEL rules: they must refuse the same fields.
/// </summary>
public sealed class BoundaryAgreementTests
{
    private const string Head = """
        apiVersion: serving.serval.dev/v1alpha1
        kind: InferenceService
        metadata:
          name: edge
        spec:
          model:
            uri: configmap://mlp-model/mlp.onnx

        """;

    [TestCase("  autoscaling: {minReplicas: 8}\n", "")]
    [TestCase("  autoscaling: {minReplicas: 9, maxReplicas: 9}\n", "")]
    [TestCase("  autoscaling: {maxReplicas: 0}\n", "spec.autoscaling.maxReplicas,spec.autoscaling.minReplicas")]
    [TestCase("  autoscaling: {metric: Latency, latencySloMilliseconds: 1}\n", "")]
    [TestCase("  autoscaling: {metric: Cpu}\n  resources: {limits: {cpu: 1}}\n", "")]
    [TestCase("  rollout: {steps: [1, 99]}\n", "")]
    [TestCase("  rollout: {steps: [0]}\n", "spec.rollout.steps[0]")]
    [TestCase("  rollout: {steps: []}\n", "spec.rollout.steps")]
    [TestCase("  rollout: {canaryTrafficPercent: 0}\n", "")]
    [TestCase("  rollout: {strategy: Canary, canaryTrafficPercent: 100}\n", "")]
    [TestCase("  batching: {maxBatchSize: 256}\n", "")]
    [TestCase("  batching: {maxBatchSize: 257}\n", "spec.batching.maxQueueLength")]
    [TestCase("  resources: {limits: {nvidia.com/gpu: 1000m}}\n", "")]
    [TestCase("  resources: {limits: {nvidia.com/gpu: \"2\"}, requests: {nvidia.com/gpu: 2}}\n", "")]
    [TestCase("  resources: {limits: {nvidia.com/gpu: 2}, requests: {nvidia.com/gpu: 1}}\n", "spec.resources.requests")]
    [TestCase("  resources: {limits: {memory: 1Gi}, requests: {memory: 1024Mi}}\n", "")]
    [TestCase("  resources: {limits: {cpu: 1}, requests: {cpu: 1001m}}\n", "spec.resources.requests")]
    [TestCase("  resources: {limits: {nvidia.com/mig-1g.10gb: 1}}\n  runtime: {executionProvider: Cuda}\n", "")]
    [TestCase("  resources: {limits: {nvidia.com/mig-1g.10gb: 1}}\n  accelerator: {minMemoryMiB: 10000}\n", "")]
    [TestCase("  traffic: {gatewayRef: {name: gw}, hostnames: ['*.example.com', a.b]}\n", "")]
    [TestCase("  traffic: {gatewayRef: {name: gw}, hostnames: ['a..b']}\n", "spec.traffic.hostnames")]
    [TestCase("  traffic: {gatewayRef: {name: gw, namespace: Gateways}}\n", "spec.traffic.gatewayRef.namespace")]
    [TestCase("  runtime: {authTokenSecretRef: {name: creds, key: 'bad key'}}\n", "spec.runtime.authTokenSecretRef.key")]
    [TestCase("  scheduling: {priorityClassName: high, spot: true, nodeSelector: {pool: gpu}}\n", "")]
    [TestCase("  scheduling: {tolerations: [{key: a, operator: Exists}], topologySpread: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]}\n", "")]
    public void BothValidators_RefuseTheSameFields(string specLines, string refusedField)
    {
        var yaml = Head + specLines;
        var expected = refusedField.Length == 0 ? [] : refusedField.Split(',');

        var csharp = KubernetesYaml.Deserialize<InferenceService>(yaml, strict: true).Validate().Select(e => e.Field);
        var schema = CrdSchema.Structural.Validate(Samples.ServiceDocument(yaml)).Select(e => e.Field);

        Assert.That(csharp, Is.EqualTo(expected), "Validate()");
        Assert.That(schema, Is.EqualTo(expected), "schema and CEL");
    }

    [TestCase("https://models.example.com/m.onnx", "")]
    [TestCase("http://10.0.0.7:8080/models/m.onnx?version=2", "")]
    [TestCase("pvc://model-store/a/b/c.onnx", "")]
    [TestCase("pvc://model.store/m.onnx", "")]
    [TestCase("configmap://mlp-model/mlp_v2.onnx", "")]
    [TestCase("file:///opt/models/m.onnx", "")]
    [TestCase("HTTPS://models.example.com/m.onnx", "spec.model.uri")]
    [TestCase("https:///m.onnx", "spec.model.uri")]
    [TestCase("pvc://model-store/", "spec.model.uri")]
    [TestCase("configmap://mlp-model/sub/key", "spec.model.uri")]
    [TestCase("file:///", "spec.model.uri")]
    [TestCase("", "spec.model.uri")]
    public void BothValidators_JudgeModelUrisAlike(string uri, string refusedField)
    {
        var yaml = Head.Replace("configmap://mlp-model/mlp.onnx", $"'{uri}'", StringComparison.Ordinal);
        var expected = refusedField.Length == 0 ? [] : refusedField.Split(',');

        var csharp = KubernetesYaml.Deserialize<InferenceService>(yaml, strict: true).Validate().Select(e => e.Field);
        var schema = CrdSchema.Structural.Validate(Samples.ServiceDocument(yaml)).Select(e => e.Field);

        Assert.That(csharp, Is.EqualTo(expected), "Validate()");
        Assert.That(schema, Is.EqualTo(expected), "schema and CEL");
    }
}
