using System.Collections.Concurrent;
using System.Reflection;

namespace Serval.Api.Schema;

/// <summary>
/// Every constraint on one property, read from its attributes (or, for Kubernetes models, from
/// <see cref="KubernetesModelFacts"/>): the single source the schema, the validator and the reference read.
/// </summary>
internal sealed record FieldConstraints
{
    public bool Required { get; init; }

    public double? Minimum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public double? Maximum { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public string? Pattern { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public string? ListType { get; init; }

    public IReadOnlyList<string>? MapKeys { get; init; }

    /// <summary>Constraints on each list item or map value.</summary>
    public FieldConstraints? Items { get; init; }

    public DefaultAttribute? Default { get; init; }

    // Attributes never change while the process runs; validation asks for the same properties for every object.
    private static readonly ConcurrentDictionary<(Type DeclaringType, PropertyInfo Property, string Name), FieldConstraints> Known = new();

    public static FieldConstraints Of(Type declaringType, PropertyInfo property, string name) =>
        Known.GetOrAdd((declaringType, property, name), key => Read(key.DeclaringType, key.Property, key.Name));

    private static FieldConstraints Read(Type declaringType, PropertyInfo property, string name)
    {
        var minimum = property.GetCustomAttributes<MinimumAttribute>().ToList();
        var maximum = property.GetCustomAttributes<MaximumAttribute>().ToList();
        var maxLength = property.GetCustomAttributes<MaxLengthAttribute>().ToList();
        var pattern = property.GetCustomAttributes<PatternAttribute>().ToList();
        var listType = property.GetCustomAttribute<ListTypeAttribute>();
        var items = new FieldConstraints
        {
            Minimum = minimum.FirstOrDefault(a => a.Items)?.Value,
            ExclusiveMinimum = minimum.FirstOrDefault(a => a.Items)?.Exclusive ?? false,
            Maximum = maximum.FirstOrDefault(a => a.Items)?.Value,
            MaxLength = maxLength.FirstOrDefault(a => a.Items)?.Value,
            Pattern = pattern.FirstOrDefault(a => a.Items)?.Regex,
        };
        return new FieldConstraints
        {
            Required = property.GetCustomAttribute<RequiredAttribute>() is not null || KubernetesModelFacts.IsRequired(declaringType, name),
            Minimum = minimum.FirstOrDefault(a => !a.Items)?.Value,
            ExclusiveMinimum = minimum.FirstOrDefault(a => !a.Items)?.Exclusive ?? false,
            Maximum = maximum.FirstOrDefault(a => !a.Items)?.Value,
            MinLength = property.GetCustomAttribute<MinLengthAttribute>()?.Value,
            MaxLength = maxLength.FirstOrDefault(a => !a.Items)?.Value,
            Pattern = pattern.FirstOrDefault(a => !a.Items)?.Regex,
            Enum = property.GetCustomAttribute<EnumValuesAttribute>()?.Values,
            MinItems = property.GetCustomAttribute<MinItemsAttribute>()?.Value,
            MaxItems = property.GetCustomAttribute<MaxItemsAttribute>()?.Value ?? KubernetesModelFacts.MaxItems(declaringType, name),
            ListType = listType?.Type,
            MapKeys = listType is { MapKeys.Count: > 0 } ? listType.MapKeys : null,
            Items = items == new FieldConstraints() ? null : items,
            Default = property.GetCustomAttribute<DefaultAttribute>(),
        };
    }
}
