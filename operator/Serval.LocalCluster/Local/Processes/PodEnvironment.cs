using System.Text;
using k8s.Models;
using Serval.Controllers.Kubernetes;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// A container's environment as a kubelet builds it: envFrom (ConfigMaps, Secrets) first, then env with
/// literal values, fieldRefs of the pod (name, namespace, uid, IPs, labels, annotations) and ConfigMap or
/// Secret keys. A missing non-optional source waits like a missing volume.
/// </summary>
public static class PodEnvironment
{
    public static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(
        IKubernetesApi api, V1Pod pod, V1Container container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } cmRef)
            {
                var cm = await api.GetAsync<V1ConfigMap>(ns, cmRef.Name, cancellationToken).ConfigureAwait(false);
                if (cm is null && cmRef.Optional != true)
                {
                    throw new VolumeNotReadyException($"configmap \"{cmRef.Name}\" not found");
                }

                foreach (var (key, value) in cm?.Data ?? new Dictionary<string, string>())
                {
                    env[(source.Prefix ?? string.Empty) + key] = value;
                }
            }

            if (source.SecretRef is { } secretRef)
            {
                var secret = await api.GetAsync<V1Secret>(ns, secretRef.Name, cancellationToken).ConfigureAwait(false);
                if (secret is null && secretRef.Optional != true)
                {
                    throw new VolumeNotReadyException($"secret \"{secretRef.Name}\" not found");
                }

                foreach (var (key, value) in secret?.Data ?? new Dictionary<string, byte[]>())
                {
                    env[(source.Prefix ?? string.Empty) + key] = Encoding.UTF8.GetString(value);
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is { } from
                ? await ValueFromAsync(api, pod, ns, variable.Name, from, cancellationToken).ConfigureAwait(false)
                : variable.Value ?? string.Empty;
            if (value is not null)
            {
                env[variable.Name] = value;
            }
        }

        return env;
    }

    private static async Task<string?> ValueFromAsync(
        IKubernetesApi api, V1Pod pod, string ns, string name, V1EnvVarSource from, CancellationToken cancellationToken)
    {
        if (from.FieldRef is { } fieldRef)
        {
            return FieldValue(pod, fieldRef.FieldPath);
        }

        if (from.ConfigMapKeyRef is { } cmKey)
        {
            var cm = await api.GetAsync<V1ConfigMap>(ns, cmKey.Name, cancellationToken).ConfigureAwait(false);
            if (cm?.Data?.TryGetValue(cmKey.Key, out var value) == true)
            {
                return value;
            }

            return cmKey.Optional == true
                ? null
                : throw new VolumeNotReadyException($"env {name}: key \"{cmKey.Key}\" of configmap \"{cmKey.Name}\" not found");
        }

        if (from.SecretKeyRef is { } secretKey)
        {
            var secret = await api.GetAsync<V1Secret>(ns, secretKey.Name, cancellationToken).ConfigureAwait(false);
            if (secret?.Data?.TryGetValue(secretKey.Key, out var bytes) == true)
            {
                return Encoding.UTF8.GetString(bytes);
            }

            return secretKey.Optional == true
                ? null
                : throw new VolumeNotReadyException($"env {name}: key \"{secretKey.Key}\" of secret \"{secretKey.Name}\" not found");
        }

        // resourceFieldRef and anything newer: not modelled locally.
        return null;
    }

    private static string? FieldValue(V1Pod pod, string path)
    {
        var metadata = pod.Metadata;
        switch (path)
        {
            case "metadata.name":
                return metadata?.Name;
            case "metadata.namespace":
                return metadata?.NamespaceProperty;
            case "metadata.uid":
                return metadata?.Uid;
            case "status.podIP" or "status.hostIP" or "status.podIPs" or "status.hostIPs":
                return "127.0.0.1";
            case "spec.nodeName":
                return pod.Spec?.NodeName ?? "local";
            case "spec.serviceAccountName":
                return pod.Spec?.ServiceAccountName;
        }

        if (TryIndexed(path, "metadata.labels", out var label))
        {
            return metadata?.Labels?.TryGetValue(label, out var value) == true ? value : string.Empty;
        }

        if (TryIndexed(path, "metadata.annotations", out var annotation))
        {
            return metadata?.Annotations?.TryGetValue(annotation, out var value) == true ? value : string.Empty;
        }

        return null;
    }

    private static bool TryIndexed(string path, string prefix, out string key)
    {
        key = string.Empty;
        if (!path.StartsWith(prefix + "['", StringComparison.Ordinal) || !path.EndsWith("']", StringComparison.Ordinal))
        {
            return false;
        }

        key = path[(prefix.Length + 2)..^2];
        return true;
    }
}
