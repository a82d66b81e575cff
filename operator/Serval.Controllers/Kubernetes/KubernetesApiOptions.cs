namespace Serval.Controllers.Kubernetes;

/// <summary>How <see cref="KubernetesApi"/> identifies itself to the API server.</summary>
public sealed class KubernetesApiOptions
{
    /// <summary>The field manager of server-side apply and of every write.</summary>
    public string FieldManager { get; set; } = "serval-operator";

    /// <summary>The User-Agent of every request.</summary>
    public string UserAgent { get; set; } = "serval-operator";

    /// <summary>Throws with the field and value when an option is unusable.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(FieldManager) || FieldManager.Length > 128)
        {
            throw new ArgumentException(
                $"{nameof(KubernetesApiOptions)}.{nameof(FieldManager)} must be 1..128 characters, got '{FieldManager}'.");
        }

        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            throw new ArgumentException($"{nameof(KubernetesApiOptions)}.{nameof(UserAgent)} must not be empty, got '{UserAgent}'.");
        }
    }
}
