using System.Reflection;

namespace Serval.Api.Schema;

/// <summary>Finds the cross-field rules a type declares through <see cref="IHasValidationRules{TSelf}"/>.</summary>
internal static class TypeRules
{
    public static IReadOnlyList<IValidationRule> For(Type type)
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
