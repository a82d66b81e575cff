using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>Writes the V2 inference response JSON; binary outputs get only their size here.</summary>
internal static class InferResponseWriter
{
    public static void Write(IBufferWriter<byte> destination, string modelName, string modelVersion, string? id, IReadOnlyList<ResponseOutput> outputs)
    {
        using var json = new Utf8JsonWriter(destination, JsonWriting.Options);
        json.WriteStartObject();
        json.WriteString("model_name"u8, modelName);
        json.WriteString("model_version"u8, modelVersion);
        if (id is not null)
        {
            json.WriteString("id"u8, id);
        }

        json.WriteStartArray("outputs"u8);
        foreach (var output in outputs)
        {
            var tensor = output.Tensor;
            json.WriteStartObject();
            json.WriteString("name"u8, tensor.Name);
            json.WriteString("datatype"u8, tensor.Datatype.Name());
            json.WriteStartArray("shape"u8);
            foreach (var dim in tensor.Shape)
            {
                json.WriteNumberValue(dim);
            }

            json.WriteEndArray();
            if (output.Binary)
            {
                json.WriteStartObject("parameters"u8);
                json.WriteNumber("binary_data_size"u8, BinaryTensorData.Size(tensor));
                json.WriteEndObject();
            }
            else
            {
                json.WritePropertyName("data"u8);
                WriteData(json, tensor);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The elements of a tensor as a flat JSON array.</summary>
    public static void WriteData(Utf8JsonWriter json, Tensor tensor)
    {
        json.WriteStartArray();
        if (tensor.Data.IsStrings)
        {
            for (var i = 0; i < tensor.Data.StringCount; i++)
            {
                var value = tensor.Data.String(i);
                if (Utf8.IsValid(value))
                {
                    json.WriteStringValue(value);
                }
                else
                {
                    // JSON strings are Unicode; arbitrary bytes need the binary extension to arrive intact.
                    json.WriteStringValue(Encoding.UTF8.GetString(value));
                }
            }
        }
        else
        {
            WriteNumbers(json, tensor.Datatype, tensor.Data.Bytes);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, TensorDatatype datatype, ReadOnlySpan<byte> bytes)
    {
        switch (datatype)
        {
            case TensorDatatype.Bool:
                foreach (var b in bytes)
                {
                    json.WriteBooleanValue(b != 0);
                }

                break;
            case TensorDatatype.UInt8:
                foreach (var b in bytes)
                {
                    json.WriteNumberValue((uint)b);
                }

                break;
            case TensorDatatype.Int8:
                foreach (var v in MemoryMarshal.Cast<byte, sbyte>(bytes))
                {
                    json.WriteNumberValue(v);
                }

                break;
            case TensorDatatype.UInt16:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes))
                {
                    json.WriteNumberValue((uint)v);
                }

                break;
            case TensorDatatype.Int16:
                foreach (var v in MemoryMarshal.Cast<byte, short>(bytes))
                {
                    json.WriteNumberValue(v);
                }

                break;
            case TensorDatatype.UInt32:
                foreach (var v in MemoryMarshal.Cast<byte, uint>(bytes))
                {
                    json.WriteNumberValue(v);
                }

                break;
            case TensorDatatype.Int32:
                foreach (var v in MemoryMarshal.Cast<byte, int>(bytes))
                {
                    json.WriteNumberValue(v);
                }

                break;
            case TensorDatatype.UInt64:
                foreach (var v in MemoryMarshal.Cast<byte, ulong>(bytes))
                {
                    json.WriteNumberValue(v);
                }

                break;
            case TensorDatatype.Int64:
                foreach (var v in MemoryMarshal.Cast<byte, long>(bytes))
                {
                    json.WriteNumberValue(v);
                }

                break;
            case TensorDatatype.Fp16:
                foreach (var v in MemoryMarshal.Cast<byte, Half>(bytes))
                {
                    WriteFloat(json, (float)v);
                }

                break;
            case TensorDatatype.Bf16:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes))
                {
                    WriteFloat(json, BitConverter.UInt32BitsToSingle((uint)v << 16));
                }

                break;
            case TensorDatatype.Fp32:
                foreach (var v in MemoryMarshal.Cast<byte, float>(bytes))
                {
                    WriteFloat(json, v);
                }

                break;
            case TensorDatatype.Fp64:
                foreach (var v in MemoryMarshal.Cast<byte, double>(bytes))
                {
                    if (double.IsFinite(v))
                    {
                        json.WriteNumberValue(v);
                    }
                    else
                    {
                        WriteSpecial(json, v);
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"no JSON encoding for {datatype}");
        }
    }

    private static void WriteFloat(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            WriteSpecial(json, value);
        }
    }

    /// <summary>JSON numbers cannot be NaN or infinite; these strings are what the request parser accepts back.</summary>
    private static void WriteSpecial(Utf8JsonWriter json, double value) =>
        json.WriteStringValue(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
}
