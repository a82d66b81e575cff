using k8s.Models;
using Serval.Api.V1Alpha1;

namespace Serval.Operator.Workloads;

/// <summary>
/// How a model reaches the worker: the <c>--model</c> argument plus the volumes and mounts it needs.
/// configmap:// mounts the ConfigMap read-only under <see cref="ModelDirectory"/> and points at the key;
/// pvc:// mounts the claim read-only there and points at the path inside it; http(s):// gives the worker an
/// emptyDir to download into (it checks sha256 itself); file:// is passed as it is.
/// </summary>
public sealed record ModelDelivery(string ModelArgument, IReadOnlyList<V1Volume> Volumes, IReadOnlyList<V1VolumeMount> Mounts, IReadOnlyList<V1EnvVar> Environment)
{
    /// <summary>Where model volumes are mounted in the worker container.</summary>
    public const string ModelDirectory = "/var/run/serval/model";

    /// <summary>The name of the model volume.</summary>
    public const string VolumeName = "model";

    /// <summary>The delivery of <paramref name="model"/>.</summary>
    public static ModelDelivery For(ResolvedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var uri = model.Uri;
        switch (uri.Scheme)
        {
            case ModelUriScheme.ConfigMap:
                return new ModelDelivery(
                    $"{ModelDirectory}/{uri.Path}",
                    [new V1Volume { Name = VolumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = uri.Location } }],
                    [new V1VolumeMount { Name = VolumeName, MountPath = ModelDirectory, ReadOnlyProperty = true }],
                    []);
            case ModelUriScheme.Pvc:
                return new ModelDelivery(
                    $"{ModelDirectory}/{uri.Path.TrimStart('/')}",
                    [new V1Volume { Name = VolumeName, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = uri.Location, ReadOnlyProperty = true } }],
                    [new V1VolumeMount { Name = VolumeName, MountPath = ModelDirectory, ReadOnlyProperty = true }],
                    []);
            case ModelUriScheme.Http or ModelUriScheme.Https:
                // The root filesystem is read-only: the download goes to an emptyDir the worker uses as its temp dir.
                return new ModelDelivery(
                    uri.Uri,
                    [new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() }],
                    [new V1VolumeMount { Name = VolumeName, MountPath = ModelDirectory }],
                    [new V1EnvVar { Name = "TMPDIR", Value = ModelDirectory }]);
            default:
                return new ModelDelivery(uri.Uri, [], [], []);
        }
    }
}
