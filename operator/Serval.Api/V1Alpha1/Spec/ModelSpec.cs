using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>The ONNX model to serve: where it comes from, its digest and the name clients call it by.</summary>
public sealed class ModelSpec : IHasValidationRules<ModelSpec>
{
    /// <summary>
    /// Where the ONNX model file comes from. <c>https://host/path</c> or <c>http://host/path</c>: downloaded by each
    /// worker when it starts. <c>pvc://claim/path</c>: a file on a PersistentVolumeClaim in the same namespace,
    /// mounted read-only. <c>configmap://name/key</c>: a key (binaryData or data) of a ConfigMap in the same
    /// namespace; fine for models up to about 1 MiB. <c>file:///absolute/path</c>: a file already in the worker
    /// image or on the node. Changing it starts a new revision.
    /// </summary>
    [Required]
    [MaxLength(ModelUri.MaxLength)]
    [JsonPropertyName("uri")]
    public string? Uri { get; set; }

    /// <summary>
    /// The SHA-256 digest of the model file, as 64 hexadecimal digits. When set, a worker whose model file has
    /// another digest refuses to load it and never becomes ready. Recommended for http and https URIs.
    /// </summary>
    [MaxLength(64)]
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; set; }

    /// <summary>
    /// The model name in the Open Inference Protocol paths (<c>/v2/models/{name}/infer</c>): letters, digits, '.',
    /// '_' and '-', starting with a letter or digit.
    /// </summary>
    [MaxLength(63)]
    [Pattern("^[A-Za-z0-9][-A-Za-z0-9_.]*$")]
    [Default("the InferenceService's name", Literal = false)]
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The URI schemes and shapes, and the digest format.</summary>
    public static IReadOnlyList<ValidationRule<ModelSpec>> ValidationRules { get; } =
    [
        new($"self.uri.matches('{ModelUri.SchemePattern}')",
            "uri must start with https://, http://, pvc://, configmap:// or file://",
            m => ModelUri.HasKnownScheme(m.Uri!)) { FieldPath = ".uri" },
        new($"!self.uri.matches('^https?://') || self.uri.matches('{ModelUri.HttpPattern}')",
            "an http or https uri must name a host and a file: https://host/path/model.onnx",
            m => !ModelUri.IsScheme(m.Uri!, "https?") || ModelUri.Matches(m.Uri!, ModelUri.HttpPattern)) { FieldPath = ".uri" },
        new($"!self.uri.startsWith('pvc://') || self.uri.matches('{ModelUri.PvcPattern}')",
            "a pvc uri must look like pvc://<claim>/<path>: the claim a lowercase DNS name, the path not empty",
            m => !ModelUri.IsScheme(m.Uri!, "pvc") || ModelUri.Matches(m.Uri!, ModelUri.PvcPattern)) { FieldPath = ".uri" },
        new($"!self.uri.startsWith('configmap://') || self.uri.matches('{ModelUri.ConfigMapPattern}')",
            "a configmap uri must look like configmap://<name>/<key>: the name a lowercase DNS name, the key letters, digits, '-', '_' and '.'",
            m => !ModelUri.IsScheme(m.Uri!, "configmap") || ModelUri.Matches(m.Uri!, ModelUri.ConfigMapPattern)) { FieldPath = ".uri" },
        new($"!self.uri.startsWith('file://') || self.uri.matches('{ModelUri.FilePattern}')",
            "a file uri must be absolute: file:///path/to/model.onnx",
            m => !ModelUri.IsScheme(m.Uri!, "file") || ModelUri.Matches(m.Uri!, ModelUri.FilePattern)) { FieldPath = ".uri" },
        new($"!has(self.sha256) || self.sha256.matches('{ModelUri.Sha256Pattern}')",
            "sha256 must be exactly 64 hexadecimal digits",
            m => m.Sha256 is null || ModelUri.Matches(m.Sha256, ModelUri.Sha256Pattern)) { FieldPath = ".sha256" },
    ];
}
