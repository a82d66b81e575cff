namespace Serval.Api.V1Alpha1;

/// <summary>Where a model file comes from.</summary>
public enum ModelUriScheme
{
    /// <summary><c>https://host/path</c>: downloaded by the worker.</summary>
    Https,

    /// <summary><c>http://host/path</c>: downloaded by the worker.</summary>
    Http,

    /// <summary><c>pvc://claim/path</c>: a file on a PersistentVolumeClaim in the same namespace.</summary>
    Pvc,

    /// <summary><c>configmap://name/key</c>: a key of a ConfigMap in the same namespace.</summary>
    ConfigMap,

    /// <summary><c>file:///path</c>: a file already in the image or on the node.</summary>
    File,
}
