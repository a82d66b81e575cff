using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Resources;

/// <summary>
/// Finds fields a built-in kind does not have, by walking the object alongside KubernetesClient's model of the kind
/// (the Go types kube-apiserver decodes into). As there: Strict refuses them (400 strict decoding error), Warn drops
/// them with a warning, Ignore drops them silently.
/// </summary>
internal sealed class UnknownFields
{
    private readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> _members = new();

    public IReadOnlyList<string> Enforce(ResourceType type, JsonObject obj, FieldValidation validation)
    {
        if (type.Model is null)
        {
            return [];
        }

        var unknown = new List<string>();
        Walk(obj, type.Model, string.Empty, unknown, isRoot: true);
        if (unknown.Count == 0)
        {
            return [];
        }

        if (validation == FieldValidation.Strict)
        {
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: "
                + string.Join(", ", unknown.Select(p => $"unknown field \"{p}\"")));
        }

        return validation == FieldValidation.Warn ? unknown.Select(p => $"unknown field \"{p}\"").ToList() : [];
    }

    private void Walk(JsonObject obj, Type model, string path, List<string> unknown, bool isRoot)
    {
        var members = Members(model);
        foreach (var (name, value) in obj.ToList())
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!members.TryGetValue(name, out var memberType))
            {
                if (!(isRoot && name is "apiVersion" or "kind"))
                {
                    unknown.Add(childPath);
                    obj.Remove(name);
                }

                continue;
            }

            WalkValue(value, memberType, childPath, unknown);
        }
    }

    private void WalkValue(JsonNode? value, Type memberType, string path, List<string> unknown)
    {
        var target = Nullable.GetUnderlyingType(memberType) ?? memberType;
        switch (value)
        {
            case JsonObject child when IsModel(target):
                Walk(child, target, path, unknown, isRoot: false);
                break;
            case JsonObject map when DictionaryValue(target) is { } valueType && IsModel(valueType):
                foreach (var (key, item) in map)
                {
                    WalkValue(item, valueType, $"{path}.{key}", unknown);
                }

                break;
            case JsonArray items when ListItem(target) is { } itemType && IsModel(itemType):
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is JsonObject item)
                    {
                        Walk(item, itemType, $"{path}[{i}]", unknown, isRoot: false);
                    }
                }

                break;
        }
    }

    private IReadOnlyDictionary<string, Type> Members(Type model) => _members.GetOrAdd(model, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .GroupBy(p => p.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.Ordinal));

    private static bool IsModel(Type type) =>
        type.IsClass && type.Namespace == "k8s.Models" && type.Name is not ("IntOrString" or "ResourceQuantity" or "V1Patch");

    private static Type? ListItem(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 2 ? type.GetGenericArguments()[1] : null;
}
