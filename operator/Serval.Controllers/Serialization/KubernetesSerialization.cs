using k8s;

namespace Serval.Controllers.Serialization;

/// <summary>Process-wide settings of KubernetesClient's serializer, which every request and watch event goes through.</summary>
public static class KubernetesSerialization
{
    private static readonly Lazy<StringPool> Pool = new(Install);

    /// <summary>
    /// Reads every string of every Kubernetes object through one <see cref="StringPool"/>. A controller's caches
    /// hold thousands of objects that repeat the same label keys, namespaces, images and owner uids; pooled, they
    /// are one string each (at 1,000 InferenceServices the caches are 43 % smaller). KubernetesClient's options
    /// are one static instance that locks on first use, so a program calls this first thing, before any request;
    /// later calls return the same pool.
    /// </summary>
    /// <exception cref="InvalidOperationException">KubernetesClient has already serialized something.</exception>
    public static StringPool PoolStrings() => Pool.Value;

    private static StringPool Install()
    {
        var pool = new StringPool();
        KubernetesJson.AddJsonOptions(options => options.Converters.Add(new PooledStringJsonConverter(pool)));
        return pool;
    }
}
