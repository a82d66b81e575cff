using System.Text.Json.Serialization;
using k8s.Models;
using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>What to serve and how: the model, the worker, batching, resources, placement, scaling, rollout and traffic.</summary>
public sealed class InferenceServiceSpec : IHasValidationRules<InferenceServiceSpec>
{
    private const string Gpu = "(k == 'nvidia.com/gpu' || k.startsWith('nvidia.com/mig-'))";
    private const string HasGpuLimit = "(has(self.resources) && has(self.resources.limits) && self.resources.limits.exists(k, " + Gpu + "))";

    /// <summary>The ONNX model to serve.</summary>
    [Required]
    [JsonPropertyName("model")]
    public ModelSpec? Model { get; set; }

    /// <summary>The worker: image, execution provider, threads, authentication.</summary>
    [JsonPropertyName("runtime")]
    public RuntimeSpec? Runtime { get; set; }

    /// <summary>Dynamic batching in the worker.</summary>
    [JsonPropertyName("batching")]
    public BatchingSpec? Batching { get; set; }

    /// <summary>
    /// CPU, memory and GPUs per pod, as in a container. GPUs are <c>nvidia.com/gpu</c> or a MIG profile
    /// (<c>nvidia.com/mig-1g.10gb</c>), set under limits as whole numbers; a GPU request, if any, must equal its
    /// limit. At most 32 resources each under requests and limits.
    /// </summary>
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; set; }

    /// <summary>Which GPU model and memory the nodes must have. Needs a GPU limit.</summary>
    [JsonPropertyName("accelerator")]
    public AcceleratorSpec? Accelerator { get; set; }

    /// <summary>Node selection, tolerations, affinity, priority, runtime class, spreading and spot nodes.</summary>
    [JsonPropertyName("scheduling")]
    public SchedulingSpec? Scheduling { get; set; }

    /// <summary>How many replicas each revision runs, and on which signal.</summary>
    [JsonPropertyName("autoscaling")]
    public AutoscalingSpec? Autoscaling { get; set; }

    /// <summary>How a new revision replaces the stable one.</summary>
    [JsonPropertyName("rollout")]
    public RolloutSpec? Rollout { get; set; }

    /// <summary>Gateway API routing. Absent: the top-level Service splits traffic by replica ratio.</summary>
    [JsonPropertyName("traffic")]
    public TrafficSpec? Traffic { get; set; }

    /// <summary>
    /// Rules that tie the resources to the fields that need them. Quantities are read by key, never by iterating
    /// over the maps: the API server's cost estimate treats every int-or-string value as up to 3 MB long, and a
    /// quantity() per map entry would exceed the per-rule budget.
    /// </summary>
    public static IReadOnlyList<ValidationRule<InferenceServiceSpec>> ValidationRules { get; } =
    [
        new($"!has(self.resources) || !has(self.resources.limits) || !('{GpuResources.NvidiaGpu}' in self.resources.limits) || "
                + WholeAndPositive(Limit(GpuResources.NvidiaGpu)),
            "the nvidia.com/gpu limit must be a whole number of at least 1",
            s => ResourceRules.LimitIsWholeAndPositive(s.Resources, GpuResources.NvidiaGpu))
        {
            FieldPath = ".resources.limits",
        },
        new($"!has(self.resources) || !has(self.resources.requests) || !('{GpuResources.NvidiaGpu}' in self.resources.requests) || "
                + $"(has(self.resources.limits) && '{GpuResources.NvidiaGpu}' in self.resources.limits && "
                + Compare(GpuResources.NvidiaGpu, "== 0") + ")",
            "an nvidia.com/gpu request must equal its limit: set the same count under resources.limits",
            s => ResourceRules.RequestEqualsLimit(s.Resources, GpuResources.NvidiaGpu))
        {
            FieldPath = ".resources.requests",
        },
        RequestWithinLimit("cpu"),
        RequestWithinLimit("memory"),
        new("!has(self.runtime) || !has(self.runtime.executionProvider) || self.runtime.executionProvider != 'Cuda' || " + HasGpuLimit,
            "executionProvider Cuda needs a GPU: set resources.limits with nvidia.com/gpu or an nvidia.com/mig-* resource",
            s => s.Runtime?.ExecutionProvider != nameof(ExecutionProvider.Cuda) || GpuResources.Limits(s.Resources).Count > 0)
        {
            FieldPath = ".runtime.executionProvider",
        },
        new("!has(self.accelerator) || " + HasGpuLimit,
            "accelerator needs a GPU: set resources.limits with nvidia.com/gpu or an nvidia.com/mig-* resource",
            s => s.Accelerator is null || GpuResources.Limits(s.Resources).Count > 0)
        {
            FieldPath = ".accelerator",
        },
        new("!has(self.autoscaling) || !has(self.autoscaling.metric) || self.autoscaling.metric != 'Cpu' || "
                + "(has(self.resources) && ((has(self.resources.requests) && 'cpu' in self.resources.requests) || (has(self.resources.limits) && 'cpu' in self.resources.limits)))",
            "metric Cpu scales on a percentage of the CPU request: set resources.requests.cpu",
            s => s.Autoscaling?.Metric != nameof(AutoscalingMetric.Cpu)
                || s.Resources?.Requests?.ContainsKey("cpu") == true || s.Resources?.Limits?.ContainsKey("cpu") == true)
        {
            FieldPath = ".autoscaling.metric",
        },
    ];

    private static string Request(string name) => $"string(self.resources.requests['{name}'])";

    private static string Limit(string name) => $"string(self.resources.limits['{name}'])";

    private static string WholeAndPositive(string value) =>
        $"(isQuantity({value}) && quantity({value}).isInteger() && quantity({value}).sign() > 0)";

    // Both values must parse for the comparison; a value that does not is already refused by the quantity pattern.
    private static string Compare(string name, string comparison) =>
        $"(!isQuantity({Request(name)}) || !isQuantity({Limit(name)}) || quantity({Request(name)}).compareTo(quantity({Limit(name)})) {comparison})";

    private static ValidationRule<InferenceServiceSpec> RequestWithinLimit(string name) =>
        new($"!has(self.resources) || !has(self.resources.requests) || !has(self.resources.limits) || !('{name}' in self.resources.requests) || "
                + $"!('{name}' in self.resources.limits) || " + Compare(name, "<= 0"),
            $"the {name} request must be less than or equal to the {name} limit",
            s => ResourceRules.RequestWithinLimit(s.Resources, name))
        {
            FieldPath = ".resources.requests",
        };
}
