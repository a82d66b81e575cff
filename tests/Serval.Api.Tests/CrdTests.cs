using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Serval.Api.Crd;
using Serval.LocalCluster.Admission;

namespace Serval.Api.Tests;

public sealed class CrdTests
{
    private const string CrdFile = "crds/serving.serval.dev_inferenceservices.yaml";

    [Test]
    public void ToYaml_EqualsTheCheckedInFile()
    {
        Assert.That(RepositoryFiles.Read(CrdFile), Is.EqualTo(InferenceServiceCrd.ToYaml()), $"{CrdFile} is stale: run `make crds`");
    }

    [Test]
    public void ToYaml_IsStableAcrossCalls()
    {
        var first = InferenceServiceCrd.ToYaml();

        Assert.That(InferenceServiceCrd.ToYaml(), Is.EqualTo(first));
    }

    [Test]
    public void ToYaml_ReadsBackAsTheSameDefinition()
    {
        var back = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(InferenceServiceCrd.ToYaml(), strict: true);

        Assert.That(KubernetesYaml.Serialize(back), Is.EqualTo(KubernetesYaml.Serialize(InferenceServiceCrd.Build())));
    }

    [Test]
    public void Build_NamesTheResource()
    {
        var spec = InferenceServiceCrd.Build().Spec;

        Assert.That((spec.Group, spec.Scope, spec.Names.Kind, spec.Names.ListKind, spec.Names.Plural, spec.Names.Singular),
            Is.EqualTo(("serving.serval.dev", "Namespaced", "InferenceService", "InferenceServiceList", "inferenceservices", "inferenceservice")));
        Assert.That(spec.Names.ShortNames, Is.EqualTo(new[] { "sisvc" }));
        Assert.That(spec.Names.Categories, Is.EqualTo(new[] { "serval" }));
    }

    [Test]
    public void Build_ServesAndStoresV1Alpha1()
    {
        var version = InferenceServiceCrd.Build().Spec.Versions.Single();

        Assert.That((version.Name, version.Served, version.Storage), Is.EqualTo(("v1alpha1", true, true)));
    }

    [Test]
    public void Build_HasTheStatusSubresourceAndNoScale()
    {
        var subresources = InferenceServiceCrd.Build().Spec.Versions[0].Subresources;

        Assert.That((subresources.Status is not null, subresources.Scale), Is.EqualTo((true, (V1CustomResourceSubresourceScale?)null)));
    }

    [Test]
    public void Build_PrinterColumns_AreReadyUrlReplicasCanaryP95RpsAge()
    {
        var columns = InferenceServiceCrd.Build().Spec.Versions[0].AdditionalPrinterColumns.Where(c => c.Priority is null or 0).Select(c => c.Name);

        Assert.That(columns, Is.EqualTo(new[] { "Ready", "URL", "Replicas", "Canary", "P95ms", "RPS", "Age" }));
    }

    [Test]
    public void Build_PrinterColumns_PointAtFieldsTheSchemaDeclares()
    {
        var schema = CrdSchema.OpenApiV3;
        var missing = InferenceServiceCrd.Build().Spec.Versions[0].AdditionalPrinterColumns
            .Where(c => !c.JsonPath.StartsWith(".metadata", StringComparison.Ordinal))
            .Where(c => SchemaAt(schema, c.JsonPath.Split('[')[0]) is null)
            .Select(c => c.JsonPath);

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Schema_CompilesWithTheStructuralValidator()
    {
        Assert.That(() => StructuralSchema.Compile(CrdSchema.OpenApiV3), Throws.Nothing);
    }

    [Test]
    public void Schema_IsStructural_EveryNodeHasATypeOrIsIntOrString()
    {
        var untyped = Nodes(CrdSchema.OpenApiV3, string.Empty)
            .Where(n => n.Node["type"] is null && n.Node["x-kubernetes-int-or-string"] is null && !n.Path.Contains("anyOf", StringComparison.Ordinal))
            .Select(n => n.Path);

        Assert.That(untyped, Is.Empty);
    }

    [Test]
    public void Schema_IsStructural_AnyOfOnlyNarrowsIntOrString()
    {
        var offending = Nodes(CrdSchema.OpenApiV3, string.Empty)
            .Where(n => n.Node["anyOf"] is JsonArray branches
                && (n.Node["x-kubernetes-int-or-string"] is null || branches.OfType<JsonObject>().Any(b => b.Count != 1 || b["type"] is null)))
            .Select(n => n.Path);

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void Schema_WritesNoDefaults_SoTheyAreNeverStoredInTheObject()
    {
        Assert.That(Nodes(CrdSchema.OpenApiV3, string.Empty).Where(n => n.Node["default"] is not null).Select(n => n.Path), Is.Empty);
    }

    [Test]
    public void Schema_ListMapKeys_AreRequiredInTheItems()
    {
        var offending = Nodes(CrdSchema.OpenApiV3, string.Empty)
            .Where(n => n.Node["x-kubernetes-list-map-keys"] is JsonArray keys
                && keys.Any(k => n.Node["items"]?["required"] is not JsonArray required || !required.Any(r => (string?)r == (string?)k)))
            .Select(n => n.Path);

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void Schema_EverySpecAndStatusField_HasADescription()
    {
        var undocumented = Nodes(CrdSchema.OpenApiV3, string.Empty)
            .Where(n => n.Path.Split('.').Length > 1 && !n.Path.EndsWith(".items", StringComparison.Ordinal) && !n.Path.EndsWith(".additionalProperties", StringComparison.Ordinal))
            .Where(n => !n.Path.Contains("anyOf", StringComparison.Ordinal) && n.Path != ".metadata.name")
            .Where(n => IsServalField(n.Path) && n.Node["description"] is null)
            .Select(n => n.Path);

        Assert.That(undocumented, Is.Empty);
    }

    [TestCase(".spec.autoscaling", "minReplicas must be less than or equal to maxReplicas")]
    [TestCase(".spec.rollout", "steps must be strictly increasing")]
    [TestCase(".spec.model", "sha256 must be exactly 64 hexadecimal digits")]
    [TestCase(".spec", "executionProvider Cuda needs a GPU")]
    [TestCase("", "the name must be at most 52 characters")]
    public void Schema_CarriesTheTypeRulesAsCel(string path, string message)
    {
        var rules = SchemaAt(CrdSchema.OpenApiV3, path)!["x-kubernetes-validations"]!.AsArray();

        Assert.That(rules.Select(r => (string)r!["message"]!), Has.Some.StartsWith(message));
    }

    [Test]
    public void Schema_QuantityRules_ReadResourcesByKey_SoTheirEstimatedCostStaysBounded()
    {
        var iterating = Nodes(CrdSchema.OpenApiV3, string.Empty)
            .SelectMany(n => n.Node["x-kubernetes-validations"]?.AsArray() ?? [])
            .Select(r => (string)r!["rule"]!)
            .Where(r => r.Contains("quantity(", StringComparison.Ordinal) && (r.Contains(".all(", StringComparison.Ordinal) || r.Contains(".exists(", StringComparison.Ordinal)));

        Assert.That(iterating, Is.Empty);
    }

    [Test]
    public void Schema_Quantities_AreIntOrStringWithThePattern()
    {
        var limits = SchemaAt(CrdSchema.OpenApiV3, ".spec.resources.limits")!["additionalProperties"]!;

        Assert.That(((bool?)limits["x-kubernetes-int-or-string"], (string?)limits["pattern"]),
            Is.EqualTo(((bool?)true, (string?)Schema.OpenApiSchemaBuilder.QuantityPattern)));
    }

    [Test]
    public void Schema_Descriptions_MentionTheDefault()
    {
        var description = (string?)SchemaAt(CrdSchema.OpenApiV3, ".spec.batching.maxBatchSize")!["description"];

        Assert.That(description, Does.EndWith("Defaults to 16."));
    }

    private static bool IsServalField(string path) =>
        !path.Contains(".resources.", StringComparison.Ordinal) && !path.Contains(".affinity.", StringComparison.Ordinal)
        && !path.Contains(".tolerations.", StringComparison.Ordinal) && !path.Contains(".topologySpread.", StringComparison.Ordinal)
        && !path.Contains(".conditions.", StringComparison.Ordinal);

    private static JsonNode? SchemaAt(JsonNode schema, string path)
    {
        var node = schema;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node?["properties"]?[part];
        }

        return node;
    }

    private static IEnumerable<(string Path, JsonObject Node)> Nodes(JsonNode schema, string path)
    {
        if (schema is not JsonObject node)
        {
            yield break;
        }

        yield return (path, node);
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                foreach (var n in Nodes(child!, path + "." + name))
                {
                    yield return n;
                }
            }
        }

        foreach (var key in new[] { "items", "additionalProperties" })
        {
            if (node[key] is JsonObject child)
            {
                foreach (var n in Nodes(child, path + "." + key))
                {
                    yield return n;
                }
            }
        }

        if (node["anyOf"] is JsonArray branches)
        {
            for (var i = 0; i < branches.Count; i++)
            {
                foreach (var n in Nodes(branches[i]!, $"{path}.anyOf[{i}]"))
                {
                    yield return n;
                }
            }
        }
    }
}
