using System.Text.Json.Serialization;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>The worker that serves the model: its image, execution provider, threads and authentication.</summary>
public sealed class RuntimeSpec
{
    /// <summary>The worker container image (any image whose entrypoint is <c>serval-worker</c>).</summary>
    [MaxLength(512)]
    [Default(InferenceServiceDefaults.WorkerImage)]
    [JsonPropertyName("image")]
    public string? Image { get; set; }

    /// <summary>
    /// The ONNX Runtime execution provider. Auto picks CUDA when the pod has a GPU and the CPU otherwise; Cuda
    /// needs a GPU limit in <c>resources</c>.
    /// </summary>
    [EnumValues(typeof(ExecutionProvider))]
    [Default(InferenceServiceDefaults.ExecutionProvider)]
    [JsonPropertyName("executionProvider")]
    public string? ExecutionProvider { get; set; }

    /// <summary>
    /// Threads ONNX Runtime uses inside one operator. 0 lets ONNX Runtime choose (one per core the container may use).
    /// </summary>
    [Minimum(0)]
    [Maximum(256)]
    [Default(InferenceServiceDefaults.IntraOpThreads)]
    [JsonPropertyName("intraOpThreads")]
    public int? IntraOpThreads { get; set; }

    /// <summary>
    /// A Secret key holding a bearer token. When set, the worker answers inference requests only with the header
    /// <c>Authorization: Bearer &lt;token&gt;</c> (health and metrics stay open). Absent: no authentication.
    /// </summary>
    [JsonPropertyName("authTokenSecretRef")]
    public SecretKeyReference? AuthTokenSecretRef { get; set; }
}
