using System.Text.Json.Nodes;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Resources.Strategies;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class UnknownFieldsTests
{
    private static readonly IReadOnlyList<ResourceType> BuiltIns = BuiltInResources.Create(new ServiceStrategy());

    [Test]
    public void EveryBuiltInKind_HasAModelToCheckAgainst()
    {
        Assert.That(BuiltIns.Where(t => t.Model is null).Select(t => t.GroupResource), Is.Empty);
    }

    [Test]
    public void Strict_UnknownNestedField_IsBadRequestNamingItsPath()
    {
        var deployment = JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","imagee":"x"}]}}}}""")!.AsObject();

        var error = Assert.Throws<ApiException>(() => new UnknownFields().Enforce(Find("Deployment"), deployment, FieldValidation.Strict));

        Assert.That(error!.Code, Is.EqualTo(400));
        Assert.That(error.Message, Does.EndWith("strict decoding error: unknown field \"spec.template.spec.containers[0].imagee\""));
    }

    [Test]
    public void Warn_UnknownField_IsDroppedAndReported()
    {
        var configMap = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labelz":{}},"data":{"a":"1"}}""")!.AsObject();

        var warnings = new UnknownFields().Enforce(Find("ConfigMap"), configMap, FieldValidation.Warn);

        Assert.That(warnings, Is.EqualTo(new[] { "unknown field \"metadata.labelz\"" }));
        Assert.That(configMap.ToJsonString(), Is.EqualTo("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"1"}}"""));
    }

    [Test]
    public void MapsOfStringsAndFreeFormFields_AreNotChecked()
    {
        var configMap = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"any":"thing"},"managedFields":[{"manager":"m","fieldsV1":{"f:data":{}}}]},"data":{"anything":"1"}}""")!.AsObject();

        var warnings = new UnknownFields().Enforce(Find("ConfigMap"), configMap, FieldValidation.Strict);

        Assert.That(warnings, Is.Empty);
    }

    private static ResourceType Find(string kind) => BuiltIns.First(t => t.Kind == kind);
}
