using System.Buffers.Binary;
using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>
/// The binary tensor data extension's layout: fixed-size elements as raw little-endian bytes
/// (BOOL one byte each); BYTES elements each as a 4-byte little-endian length and the bytes.
/// </summary>
internal static class BinaryTensorData
{
    public static TensorBuffer Read(ReadOnlySpan<byte> bytes, string name, TensorDatatype datatype, long[] shape, int count)
    {
        if (datatype != TensorDatatype.Bytes)
        {
            var expected = (long)count * datatype.ElementSize();
            if (bytes.Length != expected)
            {
                throw ProtocolException.BadRequest(
                    $"input '{name}': 'binary_data_size' is {bytes.Length} bytes but {datatype.Name()} shape {TensorShape.Format(shape)} needs {expected}");
            }

            var buffer = TensorBuffer.Numeric(bytes.Length);
            bytes.CopyTo(buffer.Bytes);
            return buffer;
        }

        var strings = TensorBuffer.Strings(count, bytes.Length);
        try
        {
            var rest = bytes;
            for (var i = 0; i < count; i++)
            {
                if (rest.Length < 4)
                {
                    throw ProtocolException.BadRequest(
                        $"input '{name}': binary BYTES data ends before element {i} of the {count} that shape {TensorShape.Format(shape)} needs");
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
                if (length < 0 || length > rest.Length - 4)
                {
                    throw ProtocolException.BadRequest(
                        $"input '{name}': binary BYTES element {i} claims {length} bytes but only {rest.Length - 4} remain");
                }

                strings.AppendString(rest.Slice(4, length));
                rest = rest[(4 + length)..];
            }

            if (!rest.IsEmpty)
            {
                throw ProtocolException.BadRequest(
                    $"input '{name}': binary BYTES data has {rest.Length} bytes after the {count} elements shape {TensorShape.Format(shape)} needs");
            }

            return strings;
        }
        catch
        {
            strings.Dispose();
            throw;
        }
    }

    /// <summary>Bytes the binary form of a tensor takes.</summary>
    public static int Size(Tensor tensor) =>
        tensor.Data.IsStrings ? tensor.Data.ByteLength + (4 * tensor.Data.StringCount) : tensor.Data.ByteLength;

    /// <summary>Writes the binary form of a tensor; <paramref name="destination"/> is <see cref="Size"/> bytes long.</summary>
    public static void Write(Tensor tensor, Span<byte> destination)
    {
        if (!tensor.Data.IsStrings)
        {
            tensor.Data.Bytes.CopyTo(destination);
            return;
        }

        var at = 0;
        for (var i = 0; i < tensor.Data.StringCount; i++)
        {
            var value = tensor.Data.String(i);
            BinaryPrimitives.WriteInt32LittleEndian(destination[at..], value.Length);
            value.CopyTo(destination[(at + 4)..]);
            at += 4 + value.Length;
        }
    }
}
