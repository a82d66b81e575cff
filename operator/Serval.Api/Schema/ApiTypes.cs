using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Serval.Api.Schema;

/// <summary>
/// Reads the API types by reflection: how each CLR type appears on the wire and which properties an object has,
/// named by their <c>[JsonPropertyName]</c> and sorted by that name (the order schemas and errors list them in).
/// </summary>
internal static class ApiTypes
{
    // Facts read from types and attributes, which never change while the process runs: validation reads them for
    // every object (the autoscaler resolves every service's spec each tick), and reading attributes allocates.
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Name, PropertyInfo Property)>> PropertiesByType = new();

    /// <summary>The wire shape of a property type (nullable value types count as their underlying type).</summary>
    public static FieldShape ShapeOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return FieldShape.String;
        }

        if (t == typeof(int) || t == typeof(short))
        {
            return FieldShape.Integer;
        }

        if (t == typeof(long))
        {
            return FieldShape.Long;
        }

        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal))
        {
            return FieldShape.Number;
        }

        if (t == typeof(bool))
        {
            return FieldShape.Boolean;
        }

        if (t == typeof(DateTime) || t == typeof(DateTimeOffset))
        {
            return FieldShape.DateTime;
        }

        if (t == typeof(byte[]))
        {
            return FieldShape.Bytes;
        }

        if (t == typeof(ResourceQuantity))
        {
            return FieldShape.Quantity;
        }

        if (t == typeof(IntOrString))
        {
            return FieldShape.IntOrString;
        }

        if (t == typeof(V1ObjectMeta) || t == typeof(V1ListMeta))
        {
            return FieldShape.ObjectMeta;
        }

        if (DictionaryValueType(t) is not null)
        {
            return FieldShape.Map;
        }

        if (ListElementType(t) is not null)
        {
            return FieldShape.List;
        }

        return t.IsClass && t != typeof(object)
            ? FieldShape.Object
            : throw new NotSupportedException($"no wire shape for {t.FullName}");
    }

    /// <summary>The element type of a list or the value type of a map.</summary>
    public static Type ElementType(Type type) =>
        DictionaryValueType(type) ?? ListElementType(type) ?? throw new ArgumentException($"{type} is neither a list nor a map", nameof(type));

    /// <summary>The serialized properties of an object type, sorted by wire name.</summary>
    public static IReadOnlyList<(string Name, PropertyInfo Property)> Properties(Type type) =>
        PropertiesByType.GetOrAdd(type, ReadProperties);

    private static IReadOnlyList<(string Name, PropertyInfo Property)> ReadProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, Property: p))
            .Where(p => p.Name is not null)
            .Select(p => (p.Name!, p.Property))
            .OrderBy(p => p.Item1, StringComparer.Ordinal)];

    /// <summary>Whether a type is one of ours (documented, carrying attributes) rather than a Kubernetes model.</summary>
    public static bool IsServalType(Type type) => type.Assembly == typeof(ApiTypes).Assembly;

    private static Type? DictionaryValueType(Type type) =>
        GenericArgument(type, typeof(IDictionary<,>)) is { } args && args[0] == typeof(string) ? args[1] : null;

    private static Type? ListElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) ? GenericArgument(type, typeof(IEnumerable<>))?[0]
        : null;

    private static Type[]? GenericArgument(Type type, Type generic)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == generic)
        {
            return type.GetGenericArguments();
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments();
    }
}
