using System.Runtime.InteropServices;
using System.Text.Json;
using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>
/// Decodes an input's JSON <c>data</c> array, flat or nested, into a <see cref="TensorBuffer"/>.
/// Nested data must follow the shape level by level; flat data must hold exactly the element count.
/// </summary>
internal static class JsonTensorData
{
    public static TensorBuffer Read(ReadOnlySpan<byte> data, string name, TensorDatatype datatype, long[] shape, int count)
    {
        var buffer = datatype == TensorDatatype.Bytes
            ? TensorBuffer.Strings(count, data.Length)
            : TensorBuffer.Numeric(count * datatype.ElementSize());
        try
        {
            Fill(data, name, datatype, shape, count, buffer);
            return buffer;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            buffer.Dispose();
            throw ProtocolException.BadRequest($"input '{name}': malformed 'data': {e.Message}");
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static void Fill(ReadOnlySpan<byte> data, string name, TensorDatatype datatype, long[] shape, int count, TensorBuffer buffer)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest($"input '{name}': 'data' must be an array, not {InferRequestParser.Describe(ref reader)}");
        }

        var rank = shape.Length;
        Span<int> counts = stackalloc int[rank + 1];
        var depth = 0;
        bool? nested = null;
        var index = 0;
        var bytes = buffer.IsStrings ? default : buffer.Bytes;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    nested ??= true;
                    if (nested == false)
                    {
                        throw ProtocolException.BadRequest($"input '{name}': 'data' mixes values and nested arrays at element {index}");
                    }

                    counts[depth]++;
                    depth++;
                    if (depth >= rank)
                    {
                        throw ProtocolException.BadRequest(
                            $"input '{name}': 'data' is nested {depth + 1} levels deep but shape {TensorShape.Format(shape)} has {rank} dimensions");
                    }

                    counts[depth] = 0;
                    break;
                case JsonTokenType.EndArray:
                    if (nested == true && counts[depth] != shape[depth])
                    {
                        throw ProtocolException.BadRequest(
                            $"input '{name}': an array at nesting level {depth + 1} of 'data' has {counts[depth]} elements but shape {TensorShape.Format(shape)} says {shape[depth]}");
                    }

                    if (depth == 0)
                    {
                        if (index != count)
                        {
                            throw ProtocolException.BadRequest(
                                $"input '{name}': shape {TensorShape.Format(shape)} needs {count} elements but 'data' has {index}");
                        }

                        return;
                    }

                    depth--;
                    break;
                default:
                    nested ??= false;
                    if (nested == true && depth != rank - 1)
                    {
                        throw ProtocolException.BadRequest(
                            $"input '{name}': 'data' has a value at nesting level {depth + 1} but shape {TensorShape.Format(shape)} has {rank} dimensions");
                    }

                    if (index >= count)
                    {
                        throw ProtocolException.BadRequest(
                            $"input '{name}': 'data' has more than the {count} elements shape {TensorShape.Format(shape)} needs");
                    }

                    counts[depth]++;
                    if (datatype == TensorDatatype.Bytes)
                    {
                        ReadString(ref reader, name, index, buffer);
                    }
                    else
                    {
                        ReadNumber(ref reader, name, datatype, index, bytes);
                    }

                    index++;
                    break;
            }
        }
    }

    private static void ReadString(ref Utf8JsonReader reader, string name, int index, TensorBuffer buffer)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Element(ref reader, name, index, "a string for BYTES");
        }

        if (!reader.ValueIsEscaped)
        {
            buffer.AppendString(reader.ValueSpan);
            return;
        }

        var room = buffer.ReserveString(reader.ValueSpan.Length);
        buffer.CommitString(reader.CopyString(room));
    }

    private static void ReadNumber(ref Utf8JsonReader reader, string name, TensorDatatype datatype, int index, Span<byte> bytes)
    {
        var at = index * datatype.ElementSize();
        switch (datatype)
        {
            case TensorDatatype.Bool:
                bytes[at] = reader.TokenType switch
                {
                    JsonTokenType.True => 1,
                    JsonTokenType.False => 0,
                    _ => throw Element(ref reader, name, index, "true or false for BOOL"),
                };
                break;
            case TensorDatatype.UInt8:
                bytes[at] = (byte)Integer(ref reader, name, index, datatype, byte.MinValue, byte.MaxValue);
                break;
            case TensorDatatype.Int8:
                bytes[at] = (byte)(sbyte)Integer(ref reader, name, index, datatype, sbyte.MinValue, sbyte.MaxValue);
                break;
            case TensorDatatype.UInt16:
                Write(bytes, at, (ushort)Integer(ref reader, name, index, datatype, ushort.MinValue, ushort.MaxValue));
                break;
            case TensorDatatype.Int16:
                Write(bytes, at, (short)Integer(ref reader, name, index, datatype, short.MinValue, short.MaxValue));
                break;
            case TensorDatatype.UInt32:
                Write(bytes, at, (uint)Integer(ref reader, name, index, datatype, uint.MinValue, uint.MaxValue));
                break;
            case TensorDatatype.Int32:
                Write(bytes, at, (int)Integer(ref reader, name, index, datatype, int.MinValue, int.MaxValue));
                break;
            case TensorDatatype.Int64:
                Write(bytes, at, Integer(ref reader, name, index, datatype, long.MinValue, long.MaxValue));
                break;
            case TensorDatatype.UInt64:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out var unsigned))
                {
                    throw Element(ref reader, name, index, "a whole number from 0 to 18446744073709551615 for UINT64");
                }

                Write(bytes, at, unsigned);
                break;
            case TensorDatatype.Fp32:
                Write(bytes, at, Single(ref reader, name, index));
                break;
            case TensorDatatype.Fp64:
                Write(bytes, at, Double(ref reader, name, index));
                break;
            case TensorDatatype.Fp16:
                {
                    var value = Double(ref reader, name, index);
                    var half = (Half)value;
                    if (double.IsFinite(value) && Half.IsInfinity(half))
                    {
                        throw Element(ref reader, name, index, "a number within ±65504 for FP16");
                    }

                    Write(bytes, at, half);
                    break;
                }

            case TensorDatatype.Bf16:
                {
                    var value = Single(ref reader, name, index);
                    var bits = BFloat16Bits(value);
                    if (float.IsFinite(value) && (bits & 0x7FFF) == 0x7F80)
                    {
                        throw Element(ref reader, name, index, "a number within the range of BF16");
                    }

                    Write(bytes, at, bits);
                    break;
                }

            default:
                throw new InvalidOperationException($"no JSON decoding for {datatype}");
        }
    }

    /// <summary>Rounds an FP32 value to BF16 (round half to even), keeping NaN a NaN.</summary>
    internal static ushort BFloat16Bits(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    private static long Integer(ref Utf8JsonReader reader, string name, int index, TensorDatatype datatype, long min, long max)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < min || value > max)
        {
            throw Element(ref reader, name, index, $"a whole number from {min} to {max} for {datatype.Name()}");
        }

        return value;
    }

    private static float Single(ref Utf8JsonReader reader, string name, int index)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetSingle(out var value) && float.IsFinite(value))
            {
                return value;
            }

            throw Element(ref reader, name, index, "a number within the range of FP32");
        }

        return (float)Special(ref reader, name, index);
    }

    private static double Double(ref Utf8JsonReader reader, string name, int index)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDouble(out var value) && double.IsFinite(value))
            {
                return value;
            }

            throw Element(ref reader, name, index, "a number within the range of FP64");
        }

        return Special(ref reader, name, index);
    }

    /// <summary>JSON has no NaN or infinity; they travel as the strings the response writer uses for them.</summary>
    private static double Special(ref Utf8JsonReader reader, string name, int index)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN"u8))
            {
                return double.NaN;
            }

            if (reader.ValueTextEquals("Infinity"u8) || reader.ValueTextEquals("inf"u8))
            {
                return double.PositiveInfinity;
            }

            if (reader.ValueTextEquals("-Infinity"u8) || reader.ValueTextEquals("-inf"u8))
            {
                return double.NegativeInfinity;
            }
        }

        throw Element(ref reader, name, index, "a number");
    }

    private static void Write<T>(Span<byte> bytes, int at, T value)
        where T : unmanaged => MemoryMarshal.Write(bytes[at..], in value);

    private static ProtocolException Element(ref Utf8JsonReader reader, string name, int index, string expected) =>
        ProtocolException.BadRequest($"input '{name}': data element {index} is {InferRequestParser.Describe(ref reader)}, expected {expected}");
}
