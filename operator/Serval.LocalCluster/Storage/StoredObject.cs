using System.Text.Json.Nodes;
using Serval.LocalCluster.Json;

namespace Serval.LocalCluster.Storage;

/// <summary>
/// One committed version of an object: its serialized JSON (written to clients as is) and the metadata the
/// server consults often (labels for selectors, owners for garbage collection), read once at commit.
/// Immutable: writers parse <see cref="Json"/> into a fresh tree.
/// </summary>
public sealed class StoredObject
{
    internal StoredObject(string groupResource, string? ns, string name, long resourceVersion, byte[] json, ObjectFacts facts)
    {
        GroupResource = groupResource;
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
        Uid = facts.Uid;
        Labels = facts.Labels;
        Owners = facts.Owners;
        Finalizers = facts.Finalizers;
        Deleting = facts.Deleting;
    }

    public string GroupResource { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public string Key => StoreKeys.Of(Namespace, Name);

    public long ResourceVersion { get; }

    /// <summary>The object as UTF-8 JSON, resourceVersion included.</summary>
    public byte[] Json { get; }

    public string Uid { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyList<OwnerReference> Owners { get; }

    public IReadOnlyList<string> Finalizers { get; }

    /// <summary>Whether metadata.deletionTimestamp is set.</summary>
    public bool Deleting { get; }

    /// <summary>A fresh, mutable copy of the object.</summary>
    public JsonObject ToJson() => (JsonObject)JsonNode.Parse(Json)!;
}

/// <summary>Facts read from an object before it is committed.</summary>
internal sealed record ObjectFacts(string Uid, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<OwnerReference> Owners,
    IReadOnlyList<string> Finalizers, bool Deleting)
{
    public static ObjectFacts Of(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var owners = new List<OwnerReference>();
        if (metadata?["ownerReferences"] is JsonArray refs)
        {
            foreach (var r in refs.OfType<JsonObject>())
            {
                owners.Add(new OwnerReference(r.StringAt("apiVersion") ?? string.Empty, r.StringAt("kind") ?? string.Empty,
                    r.StringAt("name") ?? string.Empty, r.StringAt("uid") ?? string.Empty,
                    r["controller"] is JsonValue c && c.TryGetValue<bool>(out var controller) && controller,
                    r["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var block) && block));
            }
        }

        return new ObjectFacts(metadata.StringAt("uid") ?? string.Empty, metadata.StringMap("labels"), owners,
            metadata.StringList("finalizers"), metadata?["deletionTimestamp"] is not null);
    }
}
