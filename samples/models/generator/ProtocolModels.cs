using Onnx;

namespace Serval.SampleModels;

/// <summary>
/// Small models that exercise the inference protocol rather than any maths: identity models for
/// every tensor datatype, and a model with several inputs and outputs.
/// </summary>
public static class ProtocolModels
{
    /// <summary>The Open Inference Protocol datatypes that map to an ONNX tensor type, in spec order.</summary>
    public static IReadOnlyList<string> Datatypes { get; } =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES", "BF16"];

    /// <summary>
    /// <c>input</c> → Identity → <c>output</c>, both of <paramref name="datatype"/> (a V2 name such as
    /// FP32 or BYTES) and <paramref name="shape"/> (-1 for a dynamic dimension).
    /// </summary>
    public static byte[] Identity(string datatype, params long[] shape)
    {
        var type = OnnxType(datatype);
        return new OnnxModelBuilder($"identity_{datatype.ToLowerInvariant()}")
            .Input("input", type, shape)
            .Output("output", type, shape)
            .Node("Identity", ["input"], ["output"])
            .Build();
    }

    /// <summary>
    /// Inputs <c>a</c> FP32 [-1, 3] and <c>b</c> INT64 [-1, 3]; outputs <c>sum</c> = a + b and
    /// <c>product</c> = a · b (FP32 [-1, 3]) and <c>b_copy</c> (INT64 [-1, 3]).
    /// </summary>
    public static byte[] MultiInputOutput() =>
        new OnnxModelBuilder("multi_io")
            .Input("a", TensorProto.Types.DataType.Float, -1, 3)
            .Input("b", TensorProto.Types.DataType.Int64, -1, 3)
            .Output("sum", TensorProto.Types.DataType.Float, -1, 3)
            .Output("product", TensorProto.Types.DataType.Float, -1, 3)
            .Output("b_copy", TensorProto.Types.DataType.Int64, -1, 3)
            .Node("Cast", ["b"], ["b_float"], OnnxModelBuilder.Attribute("to", (long)TensorProto.Types.DataType.Float))
            .Node("Add", ["a", "b_float"], ["sum"])
            .Node("Mul", ["a", "b_float"], ["product"])
            .Node("Identity", ["b"], ["b_copy"])
            .Build();

    /// <summary>The ONNX element type of a V2 datatype name.</summary>
    public static TensorProto.Types.DataType OnnxType(string datatype) => datatype switch
    {
        "BOOL" => TensorProto.Types.DataType.Bool,
        "UINT8" => TensorProto.Types.DataType.Uint8,
        "UINT16" => TensorProto.Types.DataType.Uint16,
        "UINT32" => TensorProto.Types.DataType.Uint32,
        "UINT64" => TensorProto.Types.DataType.Uint64,
        "INT8" => TensorProto.Types.DataType.Int8,
        "INT16" => TensorProto.Types.DataType.Int16,
        "INT32" => TensorProto.Types.DataType.Int32,
        "INT64" => TensorProto.Types.DataType.Int64,
        "FP16" => TensorProto.Types.DataType.Float16,
        "FP32" => TensorProto.Types.DataType.Float,
        "FP64" => TensorProto.Types.DataType.Double,
        "BYTES" => TensorProto.Types.DataType.String,
        "BF16" => TensorProto.Types.DataType.Bfloat16,
        _ => throw new ArgumentException($"datatype '{datatype}' is not a V2 tensor datatype", nameof(datatype)),
    };
}
