using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>
/// An ONNX model served over the Open Inference Protocol: the operator runs it as revisions (a Deployment, Service
/// and HorizontalPodAutoscaler each), autoscales them on live metrics and moves traffic between them by canary.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class InferenceService
    : IKubernetesObject<V1ObjectMeta>, ISpec<InferenceServiceSpec>, IStatus<InferenceServiceStatus?>, IHasValidationRules<InferenceService>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = "serving.serval.dev";

    /// <summary>The API version within the group.</summary>
    public const string KubeApiVersion = "v1alpha1";

    /// <summary>The kind.</summary>
    public const string KubeKind = "InferenceService";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "inferenceservices";

    /// <summary>The singular resource name.</summary>
    public const string KubeSingularName = "inferenceservice";

    /// <summary>The short name kubectl accepts.</summary>
    public const string KubeShortName = "sisvc";

    /// <summary>The category (<c>kubectl get serval</c>).</summary>
    public const string KubeCategory = "serval";

    /// <summary><c>apiVersion</c> as written in manifests.</summary>
    public const string ApiVersionString = KubeGroup + "/" + KubeApiVersion;

    /// <summary>
    /// The longest name allowed: each revision's Deployment and Service are named
    /// <c>&lt;name&gt;-&lt;hash&gt;</c> with a hash of up to <see cref="RevisionHashMaxLength"/> characters,
    /// and a Service name is at most 63.
    /// </summary>
    public const int MaxNameLength = 52;

    /// <summary>The longest revision hash the operator may append to the name.</summary>
    public const int RevisionHashMaxLength = 63 - MaxNameLength - 1;

    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionString;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard object metadata. The name is an RFC 1035 label of at most 52 characters.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What to serve and how.</summary>
    [Required]
    [JsonPropertyName("spec")]
    public InferenceServiceSpec Spec { get; set; } = new();

    /// <summary>What the operator observed.</summary>
    [JsonPropertyName("status")]
    public InferenceServiceStatus? Status { get; set; }

    /// <summary>The name leaves room for the revision hash and makes a valid Service name.</summary>
    public static IReadOnlyList<ValidationRule<InferenceService>> ValidationRules { get; } =
    [
        new($"!has(self.metadata.name) || (self.metadata.name.size() <= {MaxNameLength} && self.metadata.name.matches('{Patterns.Dns1035Label}'))",
            $"the name must be at most {MaxNameLength} characters of lowercase letters, digits and '-', starting with a letter, so that revision names (<name>-<hash>) are valid Service names",
            s => s.Metadata?.Name is not { } name || (name.Length <= MaxNameLength && ModelUri.Matches(name, Patterns.Dns1035Label)))
        {
            FieldPath = ".metadata.name",
        },
    ];

    /// <summary>
    /// Every problem with the object, as the API server would report it: the schema checks (required fields,
    /// bounds, patterns, allowed values, list types) and, when those pass, the cross-field rules.
    /// Empty when the object is valid.
    /// </summary>
    public IReadOnlyList<ValidationError> Validate() => ObjectValidator.Validate(this);

    /// <summary>
    /// The spec with every default applied, for the operator to build from. The object itself is not changed.
    /// </summary>
    /// <param name="defaultWorkerImage">
    /// The worker image when <c>spec.runtime.image</c> is left out; null uses <see cref="InferenceServiceDefaults.WorkerImage"/>.
    /// </param>
    /// <exception cref="InvalidSpecException">The object is invalid; the exception lists every problem.</exception>
    public ResolvedSpec Resolve(string? defaultWorkerImage = null) => SpecResolver.Resolve(this, defaultWorkerImage);
}
