using k8s.Models;

namespace Serval.Api.V1Alpha1;

/// <summary>The C# side of the resource rules on <see cref="InferenceServiceSpec"/>; each reads one resource by name.</summary>
internal static class ResourceRules
{
    public static bool LimitIsWholeAndPositive(V1ResourceRequirements? resources, string name) =>
        Quantity(resources?.Limits, name) is not { } limit || (limit > 0 && limit == decimal.Truncate(limit));

    public static bool RequestEqualsLimit(V1ResourceRequirements? resources, string name) =>
        Quantity(resources?.Requests, name) is not { } request || Quantity(resources?.Limits, name) == request;

    public static bool RequestWithinLimit(V1ResourceRequirements? resources, string name) =>
        Quantity(resources?.Requests, name) is not { } request || Quantity(resources?.Limits, name) is not { } limit || request <= limit;

    private static decimal? Quantity(IDictionary<string, ResourceQuantity>? quantities, string name) =>
        quantities is not null && quantities.TryGetValue(name, out var quantity) && quantity is not null ? quantity.ToDecimal() : null;
}
