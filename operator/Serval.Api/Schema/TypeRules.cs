using System.Collections.Concurrent;
using System.Reflection;

namespace Serval.Api.Schema;

/// <summary>Finds the cross-field rules a type declares through <see cref="IHasValidationRules{TSelf}"/>.</summary>
internal static class TypeRules
{
    // A type's rules are static; validation asks for them for every object.
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<IValidationRule>> Known = new();

    public static IReadOnlyList<IValidationRule> For(Type type) => Known.GetOrAdd(type, Read);

    private static IReadOnlyList<IValidationRule> Read(Type type)
    {
        var declares = type.GetInterfaces().Any(i => i.IsGenericType
            && i.GetGenericTypeDefinition() == typeof(IHasValidationRules<>)
            && i.GetGenericArguments()[0] == type);
        if (!declares)
        {
            return [];
        }

        var property = type.GetProperty(nameof(IHasValidationRules<object>.ValidationRules), BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{type.Name} declares IHasValidationRules but no public static ValidationRules");
        return ((System.Collections.IEnumerable)property.GetValue(null)!).Cast<IValidationRule>().ToList();
    }
}
