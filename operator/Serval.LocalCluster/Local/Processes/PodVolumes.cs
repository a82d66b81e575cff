using System.Text;
using k8s.Models;
using Serval.Controllers.Kubernetes;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// Materialises a pod's volumes as directories: configMap and secret volumes as one file per key (data and
/// binaryData, or the listed items), emptyDir as a fresh directory, hostPath as the path itself, and a
/// persistentVolumeClaim as a directory per claim under the state directory that outlives its pods (put the
/// files a claim should hold there). Other volume types get an empty directory.
/// </summary>
public sealed class PodVolumes
{
    private readonly IKubernetesApi _api;

    public PodVolumes(IKubernetesApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _api = api;
    }

    /// <summary>
    /// Writes the volumes of <paramref name="pod"/> and returns, for <paramref name="container"/>, each mountPath
    /// and the local directory (or file, with subPath) that stands in for it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> PrepareAsync(
        V1Pod pod, V1Container container, PodPaths paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(paths);
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            local[volume.Name] = await PrepareVolumeAsync(ns, volume, paths, cancellationToken).ConfigureAwait(false);
        }

        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!local.TryGetValue(mount.Name, out var dir))
            {
                throw new VolumeNotReadyException(
                    $"container '{container.Name}' mounts volume '{mount.Name}', which the pod does not declare");
            }

            mounts[mount.MountPath] = string.IsNullOrEmpty(mount.SubPath) ? dir : Path.Combine(dir, mount.SubPath);
        }

        return mounts;
    }

    private async Task<string> PrepareVolumeAsync(string ns, V1Volume volume, PodPaths paths, CancellationToken cancellationToken)
    {
        if (volume.HostPath is { } hostPath)
        {
            return hostPath.Path;
        }

        if (volume.PersistentVolumeClaim is { } claim)
        {
            var dir = paths.Claim(claim.ClaimName);
            Directory.CreateDirectory(dir);
            return dir;
        }

        var target = paths.Volume(volume.Name);
        if (volume.ConfigMap is { } configMapSource)
        {
            var configMap = await _api.GetAsync<V1ConfigMap>(ns, configMapSource.Name, cancellationToken).ConfigureAwait(false);
            if (configMap is null && configMapSource.Optional != true)
            {
                throw new VolumeNotReadyException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : configmap \"{configMapSource.Name}\" not found");
            }

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (key, value) in configMap?.Data ?? new Dictionary<string, string>())
            {
                files[key] = Encoding.UTF8.GetBytes(value);
            }

            foreach (var (key, value) in configMap?.BinaryData ?? new Dictionary<string, byte[]>())
            {
                files[key] = value;
            }

            WriteFiles(target, files, configMapSource.Items);
            return target;
        }

        if (volume.Secret is { } secretSource)
        {
            var secret = await _api.GetAsync<V1Secret>(ns, secretSource.SecretName, cancellationToken).ConfigureAwait(false);
            if (secret is null && secretSource.Optional != true)
            {
                throw new VolumeNotReadyException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : secret \"{secretSource.SecretName}\" not found");
            }

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (key, value) in secret?.Data ?? new Dictionary<string, byte[]>())
            {
                files[key] = value;
            }

            foreach (var (key, value) in secret?.StringData ?? new Dictionary<string, string>())
            {
                files[key] = Encoding.UTF8.GetBytes(value);
            }

            WriteFiles(target, files, secretSource.Items);
            return target;
        }

        // emptyDir and anything else: a fresh directory, kept across container restarts as a kubelet keeps it.
        Directory.CreateDirectory(target);
        return target;
    }

    private static void WriteFiles(string target, Dictionary<string, byte[]> files, IList<V1KeyToPath>? items)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        var selected = items is { Count: > 0 }
            ? items.Where(i => files.ContainsKey(i.Key)).Select(i => (i.Path, files[i.Key]))
            : files.Select(f => (f.Key, f.Value));
        foreach (var (relative, bytes) in selected)
        {
            var full = Path.GetFullPath(Path.Combine(target, relative));
            if (!full.StartsWith(Path.GetFullPath(target) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new VolumeNotReadyException($"volume item path '{relative}' leaves the volume directory");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }
}
