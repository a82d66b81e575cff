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

    /// <summary>
    /// Makes the serializer cheaper to hold for a process that keeps thousands of objects, and returns the pool it
    /// reads strings through. Later calls change nothing and return the same pool.
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
    public static StringPool Configure() => Pool.Value;

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
