using System.Security.Cryptography;
using k8s.Models;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

public sealed class SampleContentTests
{
    [Test]
    public void Quickstart_ConfigMapHoldsTheGeneratedMlpModel()
    {
        var objects = Samples.Objects(Samples.ValidText("quickstart.yaml"));
        var configMap = objects.OfType<V1ConfigMap>().Single();

        Assert.That(configMap.BinaryData["mlp.onnx"], Is.EqualTo(File.ReadAllBytes(RepositoryFiles.PathOf("samples/models/mlp.onnx"))));
    }

    [Test]
    public void Quickstart_ServesTheConfigMapKeyWithItsDigest()
    {
        var objects = Samples.Objects(Samples.ValidText("quickstart.yaml"));
        var configMap = objects.OfType<V1ConfigMap>().Single();
        var model = objects.OfType<InferenceService>().Single().Spec.Model!;

        Assert.That(model.Uri, Is.EqualTo($"configmap://{configMap.Metadata.Name}/mlp.onnx"));
        Assert.That(model.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(configMap.BinaryData["mlp.onnx"]))));
    }

    [Test]
    public void Quickstart_RunsOnCpuWithoutExtraFiles()
    {
        var resolved = Samples.Service(Samples.ValidText("quickstart.yaml")).Resolve();

        Assert.That(resolved.Gpus, Is.Empty);
        Assert.That(resolved.Model.Uri.Scheme, Is.EqualTo(ModelUriScheme.ConfigMap));
    }

    [TestCase("mlp.onnx")]
    [TestCase("mlp-v2.onnx")]
    public void Canary_ModelsConfigMapHoldsTheGeneratedModel(string key)
    {
        var configMap = Samples.Objects(Samples.ValidText("canary.yaml")).OfType<V1ConfigMap>().Single(c => c.BinaryData is not null);

        Assert.That(configMap.BinaryData[key], Is.EqualTo(File.ReadAllBytes(RepositoryFiles.PathOf("samples/models/" + key))));
    }

    [Test]
    public void Canary_SmokeTestConfigMapHoldsTheSampleRequest()
    {
        var objects = Samples.Objects(Samples.ValidText("canary.yaml"));
        var smoke = objects.OfType<InferenceService>().Single().Spec.Rollout!.SmokeTest!;
        var configMap = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == smoke.ConfigMapName);

        Assert.That(configMap.Data["mlp.json"], Is.EqualTo(RepositoryFiles.Read("samples/requests/mlp.json")));
    }

    [Test]
    public void Canary_ServesAKeyOfItsModelsConfigMap()
    {
        var objects = Samples.Objects(Samples.ValidText("canary.yaml"));
        var uri = ModelUri.Parse(objects.OfType<InferenceService>().Single().Spec.Model!.Uri!);
        var configMap = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == uri.Location);

        Assert.That(configMap.BinaryData.Keys, Does.Contain(uri.Path));
    }

    [Test]
    public void Autoscaling_ServesTheQuickstartConfigMap()
    {
        var quickstartMap = Samples.Objects(Samples.ValidText("quickstart.yaml")).OfType<V1ConfigMap>().Single();
        var uri = Samples.Service(Samples.ValidText("autoscaling.yaml")).Resolve().Model.Uri;

        Assert.That((uri.Location, quickstartMap.BinaryData.ContainsKey(uri.Path)), Is.EqualTo((quickstartMap.Metadata.Name, true)));
    }

    [Test]
    public void Gpu_AsksForOneGpuWithCudaOnTheNamedProduct()
    {
        var resolved = Samples.Service(Samples.ValidText("gpu.yaml")).Resolve();

        Assert.That(resolved.Gpus, Is.EqualTo(new Dictionary<string, decimal> { ["nvidia.com/gpu"] = 1 }));
        Assert.That(resolved.Runtime.ExecutionProvider, Is.EqualTo(ExecutionProvider.Cuda));
        Assert.That(resolved.Accelerator, Is.EqualTo(new ResolvedAccelerator("NVIDIA-H100-80GB-HBM3", 40000)));
        Assert.That(resolved.Scheduling.RuntimeClassName, Is.EqualTo("nvidia"));
        Assert.That(resolved.Scheduling.Tolerations.Single().Key, Is.EqualTo("nvidia.com/gpu"));
    }
}
