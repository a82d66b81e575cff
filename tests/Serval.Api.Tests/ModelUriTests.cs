using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

public sealed class ModelUriTests
{
    [TestCase("https://models.example.com/a/b.onnx?v=2", ModelUriScheme.Https, "models.example.com", "/a/b.onnx?v=2")]
    [TestCase("http://10.0.0.1:8080/m.onnx", ModelUriScheme.Http, "10.0.0.1:8080", "/m.onnx")]
    [TestCase("pvc://model-store/resnet/v1/model.onnx", ModelUriScheme.Pvc, "model-store", "resnet/v1/model.onnx")]
    [TestCase("configmap://mlp-model/mlp.onnx", ModelUriScheme.ConfigMap, "mlp-model", "mlp.onnx")]
    [TestCase("file:///models/mlp.onnx", ModelUriScheme.File, "", "/models/mlp.onnx")]
    public void Parse_ValidUri_SplitsLocationAndPath(string uri, ModelUriScheme scheme, string location, string path)
    {
        Assert.That(ModelUri.Parse(uri), Is.EqualTo(new ModelUri(scheme, uri, location, path)));
    }

    [TestCase("s3://bucket/m.onnx", "scheme must be https, http, pvc, configmap or file")]
    [TestCase("pvc://claim", "not a valid pvc URI")]
    [TestCase("file://relative/m.onnx", "not a valid file URI")]
    public void Parse_InvalidUri_NamesTheFieldAndTheValue(string uri, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => ModelUri.Parse(uri));

        Assert.That(ex!.Message, Does.Contain("spec.model.uri").And.Contain(uri).And.Contain(reason));
    }
}
