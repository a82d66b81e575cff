using Microsoft.ML.OnnxRuntime.Tensors;

namespace Serval.Worker.Tensors;

/// <summary>Names, sizes and ONNX Runtime equivalents of <see cref="TensorDatatype"/>.</summary>
internal static class TensorDatatypes
{
    private static readonly string[] Names =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES"];

    /// <summary>The protocol's name for the datatype, e.g. FP32.</summary>
    public static string Name(this TensorDatatype datatype) => Names[(int)datatype];

    /// <summary>Bytes per element; 0 for BYTES, whose elements vary in length.</summary>
    public static int ElementSize(this TensorDatatype datatype) => datatype switch
    {
        TensorDatatype.Bool or TensorDatatype.UInt8 or TensorDatatype.Int8 => 1,
        TensorDatatype.UInt16 or TensorDatatype.Int16 or TensorDatatype.Fp16 or TensorDatatype.Bf16 => 2,
        TensorDatatype.UInt32 or TensorDatatype.Int32 or TensorDatatype.Fp32 => 4,
        TensorDatatype.UInt64 or TensorDatatype.Int64 or TensorDatatype.Fp64 => 8,
        _ => 0,
    };

    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out TensorDatatype datatype)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (utf8Name.Length == Names[i].Length && System.Text.Ascii.Equals(utf8Name, Names[i]))
            {
                datatype = (TensorDatatype)i;
                return true;
            }
        }

        datatype = default;
        return false;
    }

    public static TensorElementType ToOnnx(this TensorDatatype datatype) => datatype switch
    {
        TensorDatatype.Bool => TensorElementType.Bool,
        TensorDatatype.UInt8 => TensorElementType.UInt8,
        TensorDatatype.UInt16 => TensorElementType.UInt16,
        TensorDatatype.UInt32 => TensorElementType.UInt32,
        TensorDatatype.UInt64 => TensorElementType.UInt64,
        TensorDatatype.Int8 => TensorElementType.Int8,
        TensorDatatype.Int16 => TensorElementType.Int16,
        TensorDatatype.Int32 => TensorElementType.Int32,
        TensorDatatype.Int64 => TensorElementType.Int64,
        TensorDatatype.Fp16 => TensorElementType.Float16,
        TensorDatatype.Bf16 => TensorElementType.BFloat16,
        TensorDatatype.Fp32 => TensorElementType.Float,
        TensorDatatype.Fp64 => TensorElementType.Double,
        TensorDatatype.Bytes => TensorElementType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, "not a tensor datatype"),
    };

    /// <summary>The protocol datatype of an ONNX element type, or null when the protocol has none (e.g. complex).</summary>
    public static TensorDatatype? FromOnnx(TensorElementType type) => type switch
    {
        TensorElementType.Bool => TensorDatatype.Bool,
        TensorElementType.UInt8 => TensorDatatype.UInt8,
        TensorElementType.UInt16 => TensorDatatype.UInt16,
        TensorElementType.UInt32 => TensorDatatype.UInt32,
        TensorElementType.UInt64 => TensorDatatype.UInt64,
        TensorElementType.Int8 => TensorDatatype.Int8,
        TensorElementType.Int16 => TensorDatatype.Int16,
        TensorElementType.Int32 => TensorDatatype.Int32,
        TensorElementType.Int64 => TensorDatatype.Int64,
        TensorElementType.Float16 => TensorDatatype.Fp16,
        TensorElementType.BFloat16 => TensorDatatype.Bf16,
        TensorElementType.Float => TensorDatatype.Fp32,
        TensorElementType.Double => TensorDatatype.Fp64,
        TensorElementType.String => TensorDatatype.Bytes,
        _ => null,
    };
}
