using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Serval.Controllers.Serialization;

/// <summary>
/// Process-wide settings of KubernetesClient's serializer, which every request and watch event goes through. Its
/// options are one static instance that locks on first use, so a program calls <see cref="Configure"/> first thing,
/// before any request.
/// </summary>
public static class KubernetesSerialization
{
    private static readonly Lazy<StringPool> Pool = new(Install);
    private static readonly Lazy<JsonSerializerOptions> Captured = new(Capture);

    /// <summary>
    /// Makes the serializer cheaper to hold for a process that keeps thousands of objects. Later calls change
    /// nothing.
    /// <list type="bullet">
    /// <item>Every string is read through one <see cref="StringPool"/>: a controller's caches repeat the same label
    /// keys, namespaces, images and owner uids in every object, and pooled each is one string.</item>
    /// <item>Contracts are built by reflection, type by type as they are met, instead of through the library's
    /// generated context, whose type lookup loads every model type it compares against on the way to the one asked
    /// for (hundreds, at a few KiB of runtime metadata each). The JSON is the same: the same attributes and
    /// converters decide it.</item>
    /// </list>
    /// </summary>
    /// <exception cref="InvalidOperationException">KubernetesClient has already serialized something.</exception>
    public static void Configure() => _ = Pool.Value;

    /// <summary>
    /// The options KubernetesClient serializes with, for JSON of a model without a string in between
    /// (<see cref="JsonSerializer.SerializeToDocument(object?, Type, JsonSerializerOptions?)"/>): the same converters,
    /// so the same JSON as <see cref="KubernetesJson.Serialize(object, JsonSerializerOptions?)"/>.
    /// </summary>
    public static JsonSerializerOptions Options => Captured.Value;

    // The library hands its instance to a configuration callback; one that changes nothing may run at any time.
    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesClient did not hand over its serializer options");
    }

    private static StringPool Install()
    {
        var pool = new StringPool();
        KubernetesJson.AddJsonOptions(options =>
        {
            options.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
            options.Converters.Add(new PooledStringJsonConverter(pool));
        });
        return pool;
    }
}
