namespace Serval.Worker.Tensors;

/// <summary>The tensor element types of the Open Inference Protocol that ONNX tensors can hold.</summary>
internal enum TensorDatatype
{
    Bool,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    Fp16,
    Bf16,
    Fp32,
    Fp64,
    Bytes,
}
