using System.Reflection;
using System.Text.Json.Serialization;
using Serval.Api.Schema;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Tests;

public sealed class ApiTypeTests
{
    private static IEnumerable<Type> WireTypes() =>
        typeof(InferenceService).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Serval.Api.V1Alpha1" && t.IsClass && !t.IsAbstract
                && t.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null));

    [Test]
    public void EveryWireProperty_HasACamelCaseJsonName()
    {
        var offending = WireTypes().SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name
                || name != char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .Select(p => $"{t.Name}.{p.Name}"));

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void EveryWireType_IsSealed()
    {
        Assert.That(WireTypes().Where(t => !t.IsSealed).Select(t => t.Name), Is.Empty);
    }

    [Test]
    public void EveryEnumValuesAttribute_NamesAnEnumTheResolverParses()
    {
        var enums = WireTypes().SelectMany(t => t.GetProperties())
            .Select(p => p.GetCustomAttribute<EnumValuesAttribute>()?.EnumType)
            .OfType<Type>()
            .Distinct();

        Assert.That(enums, Is.EquivalentTo(new[] { typeof(ExecutionProvider), typeof(AutoscalingMetric), typeof(RolloutStrategy) }));
    }

    [Test]
    public void KubernetesEntity_DescribesTheResource()
    {
        var entity = typeof(InferenceService).GetCustomAttribute<k8s.Models.KubernetesEntityAttribute>()!;

        Assert.That((entity.Group, entity.ApiVersion, entity.Kind, entity.PluralName),
            Is.EqualTo(("serving.serval.dev", "v1alpha1", "InferenceService", "inferenceservices")));
    }

    [Test]
    public void NewInferenceService_CarriesApiVersionAndKind()
    {
        var service = new InferenceService();

        Assert.That((service.ApiVersion, service.Kind), Is.EqualTo(("serving.serval.dev/v1alpha1", "InferenceService")));
    }
}
