using Onnx;

namespace Serval.SampleModels;

/// <summary>
/// The sample models Serval ships and tests with. Every method is deterministic: the same call
/// returns the same bytes on every run, so the checked-in files can be compared with fresh output.
/// </summary>
public static class SampleModels
{
    /// <summary>Name of the single input of every sample MLP.</summary>
    public const string InputName = "input";

    /// <summary>Name of the single output of every sample MLP.</summary>
    public const string OutputName = "output";

    /// <summary>Matrix side of the slow model's busy-work chain.</summary>
    public const int SlowWidth = 512;

    /// <summary>Links in the slow model's busy-work chain (each a [512x512]·[512x512] MatMul and a Tanh).</summary>
    public const int SlowChainLength = 24;

    private const ulong V1Seed = 20240501;
    private const ulong V2Seed = 20240502;
    private const ulong SlowSeed = 20240503;
    private const float WrongShift = 10f;

    /// <summary>The shipped models, in file order, with the weights whose forward pass each one computes.</summary>
    public static IReadOnlyList<SampleModel> Catalog { get; } =
    [
        new("mlp", "FP32 [-1,16] -> Gemm/Relu/Gemm -> FP32 [-1,4]", MlpWeightsV1, Mlp),
        new("mlp-v2", "the same network with slightly retrained weights (a canary that passes)", MlpWeightsV2, MlpV2),
        new("mlp-slow", "the outputs of mlp, plus tens of milliseconds of busy work (a canary rolled back on latency)", MlpWeightsV1, MlpSlow),
        new("mlp-wrong", "answers 10 - mlp(x): loads and serves, but a smoke test against mlp fails", MlpWeightsWrong, MlpWrong),
    ];

    /// <summary>Weights of <see cref="Mlp"/>.</summary>
    public static MlpWeights MlpWeightsV1() => MlpWeights.Create(V1Seed);

    /// <summary>Weights of <see cref="MlpV2"/>: those of v1, each moved by at most 0.01.</summary>
    public static MlpWeights MlpWeightsV2() => MlpWeightsV1().Perturbed(V2Seed, 0.01f);

    /// <summary>Weights of <see cref="MlpWrong"/>.</summary>
    public static MlpWeights MlpWeightsWrong() => MlpWeightsV1().NegatedAndShifted(WrongShift);

    /// <summary>FP32 <c>input</c> [-1, 16] → Gemm/Relu/Gemm → FP32 <c>output</c> [-1, 4].</summary>
    public static byte[] Mlp() => MlpBuilder("mlp", MlpWeightsV1(), batch: -1).Build();

    /// <summary>Same signature as <see cref="Mlp"/>, slightly different weights.</summary>
    public static byte[] MlpV2() => MlpBuilder("mlp_v2", MlpWeightsV2(), batch: -1).Build();

    /// <summary>Same signature as <see cref="Mlp"/>, wrong answers.</summary>
    public static byte[] MlpWrong() => MlpBuilder("mlp_wrong", MlpWeightsWrong(), batch: -1).Build();

    /// <summary>The network of <see cref="Mlp"/> with a fixed batch of one: input [1, 16], output [1, 4].</summary>
    public static byte[] MlpFixedBatch() => MlpBuilder("mlp_fixed_batch", MlpWeightsV1(), batch: 1).Build();

    /// <summary>
    /// The outputs of <see cref="Mlp"/> (bit for bit) and a chain of large MatMuls that depends on
    /// the input, so the optimiser can neither fold it into a constant nor drop it. The chain's sum
    /// is multiplied by zero and added to the output; Tanh keeps every value finite, so the zero
    /// stays a zero. Its cost does not depend on the batch size.
    /// </summary>
    public static byte[] MlpSlow() => MlpSlow(SlowChainLength);

    /// <summary><see cref="MlpSlow()"/> with a chosen number of links.</summary>
    public static byte[] MlpSlow(int chainLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chainLength);
        const int rank = 8;
        var random = new DeterministicRandom(SlowSeed);
        // The square matrix is stored as two thin factors (32 KB instead of 256 KB); constant folding
        // multiplies them out once when the session loads.
        var scale = (float)(1.0 / Math.Sqrt(rank));
        var builder = MlpBuilder("mlp_slow", MlpWeightsV1(), batch: -1, logitsName: "logits")
            .Initializer("slow_left", random.NextSymmetric(SlowWidth * rank, scale), SlowWidth, rank)
            .Initializer("slow_right", random.NextSymmetric(rank * SlowWidth, scale), rank, SlowWidth)
            .Initializer("slow_zero", [0f], 1)
            .Node("MatMul", ["slow_left", "slow_right"], ["slow_weight"])
            .Node("ReduceSum", [InputName], ["slow_seed"])
            .Node("Mul", ["slow_weight", "slow_seed"], ["slow_0"]);
        for (var i = 0; i < chainLength; i++)
        {
            builder
                .Node("MatMul", [$"slow_{i}", "slow_weight"], [$"slow_{i}_product"])
                .Node("Tanh", [$"slow_{i}_product"], [$"slow_{i + 1}"]);
        }

        return builder
            .Node("ReduceSum", [$"slow_{chainLength}"], ["slow_total"])
            .Node("Mul", ["slow_total", "slow_zero"], ["slow_nothing"])
            .Node("Add", ["logits", "slow_nothing"], [OutputName])
            .Build();
    }

    private static OnnxModelBuilder MlpBuilder(string graphName, MlpWeights weights, long batch, string logitsName = OutputName)
    {
        const long transB = 1;
        return new OnnxModelBuilder(graphName)
            .Input(InputName, TensorProto.Types.DataType.Float, batch, MlpWeights.InputSize)
            .Output(OutputName, TensorProto.Types.DataType.Float, batch, MlpWeights.OutputSize)
            .Initializer("hidden_weight", weights.Hidden, MlpWeights.HiddenSize, MlpWeights.InputSize)
            .Initializer("hidden_bias", weights.HiddenBias, MlpWeights.HiddenSize)
            .Initializer("output_weight", weights.Output, MlpWeights.OutputSize, MlpWeights.HiddenSize)
            .Initializer("output_bias", weights.OutputBias, MlpWeights.OutputSize)
            .Node("Gemm", [InputName, "hidden_weight", "hidden_bias"], ["hidden_linear"], OnnxModelBuilder.Attribute("transB", transB))
            .Node("Relu", ["hidden_linear"], ["hidden"])
            .Node("Gemm", ["hidden", "output_weight", "output_bias"], [logitsName], OnnxModelBuilder.Attribute("transB", transB));
    }
}
