namespace Serval.SampleModels;

/// <summary>
/// The parameters of the sample two-layer perceptron (Gemm, Relu, Gemm), row-major, with the
/// layout of a PyTorch Linear layer (weights are [out, in]).
/// </summary>
public sealed record MlpWeights(float[] Hidden, float[] HiddenBias, float[] Output, float[] OutputBias)
{
    /// <summary>Features per input row.</summary>
    public const int InputSize = 16;

    /// <summary>Units in the hidden layer.</summary>
    public const int HiddenSize = 32;

    /// <summary>Values per output row.</summary>
    public const int OutputSize = 4;

    /// <summary>
    /// A plain C# forward pass: the reference the sample models are checked against. Results agree
    /// with ONNX Runtime to rounding (summation order may differ).
    /// </summary>
    public float[] Forward(ReadOnlySpan<float> input)
    {
        if (input.Length % InputSize != 0)
        {
            throw new ArgumentException(
                $"input has {input.Length} values, which is not a whole number of rows of {InputSize}", nameof(input));
        }

        var rows = input.Length / InputSize;
        var result = new float[rows * OutputSize];
        Span<float> hidden = stackalloc float[HiddenSize];
        for (var row = 0; row < rows; row++)
        {
            var x = input.Slice(row * InputSize, InputSize);
            for (var h = 0; h < HiddenSize; h++)
            {
                var sum = HiddenBias[h];
                for (var i = 0; i < InputSize; i++)
                {
                    sum += Hidden[(h * InputSize) + i] * x[i];
                }

                hidden[h] = Math.Max(sum, 0f);
            }

            for (var o = 0; o < OutputSize; o++)
            {
                var sum = OutputBias[o];
                for (var h = 0; h < HiddenSize; h++)
                {
                    sum += Output[(o * HiddenSize) + h] * hidden[h];
                }

                result[(row * OutputSize) + o] = sum;
            }
        }

        return result;
    }

    internal static MlpWeights Create(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        return new MlpWeights(
            random.NextSymmetric(HiddenSize * InputSize, 0.5f),
            random.NextSymmetric(HiddenSize, 0.1f),
            random.NextSymmetric(OutputSize * HiddenSize, 0.5f),
            random.NextSymmetric(OutputSize, 0.1f));
    }

    /// <summary>The same network after a little more training: every weight moved by at most <paramref name="step"/>.</summary>
    internal MlpWeights Perturbed(ulong seed, float step)
    {
        var random = new DeterministicRandom(seed);
        return new MlpWeights(
            Add(Hidden, random.NextSymmetric(Hidden.Length, step)),
            Add(HiddenBias, random.NextSymmetric(HiddenBias.Length, step)),
            Add(Output, random.NextSymmetric(Output.Length, step)),
            Add(OutputBias, random.NextSymmetric(OutputBias.Length, step)));
    }

    /// <summary>Outputs become <c>shift - y</c>: far from the original for every input.</summary>
    internal MlpWeights NegatedAndShifted(float shift) =>
        this with
        {
            Output = Array.ConvertAll(Output, w => -w),
            OutputBias = Array.ConvertAll(OutputBias, b => shift - b),
        };

    private static float[] Add(float[] a, float[] b)
    {
        var sum = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }
}
