using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Serval.Bench.Worker;

/// <summary>
/// A V2 infer request body, built once and sent many times: plain JSON, or the binary tensor data
/// extension (a JSON header of <see cref="JsonLength"/> bytes followed by the raw little-endian tensors).
/// </summary>
internal sealed record InferBody(byte[] Bytes, int? JsonLength)
{
    public string? JsonLengthHeader { get; } = JsonLength?.ToString(CultureInfo.InvariantCulture);

    public static InferBody Json(IReadOnlyList<TensorInput> inputs)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                StartInput(json, input);
                json.WriteStartArray("data");
                if (input.Floats is { } floats)
                {
                    foreach (var value in floats)
                    {
                        json.WriteNumberValue(value);
                    }
                }
                else
                {
                    foreach (var value in input.Longs!)
                    {
                        json.WriteNumberValue(value);
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new InferBody(stream.ToArray(), null);
    }

    /// <summary>Inputs as binary data, and every named output asked for as binary data too.</summary>
    public static InferBody Binary(IReadOnlyList<TensorInput> inputs, IReadOnlyList<string> outputs)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                StartInput(json, input);
                json.WriteStartObject("parameters");
                json.WriteNumber("binary_data_size", input.ByteCount);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("outputs");
            foreach (var output in outputs)
            {
                json.WriteStartObject();
                json.WriteString("name", output);
                json.WriteStartObject("parameters");
                json.WriteBoolean("binary_data", true);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var jsonLength = (int)stream.Length;
        foreach (var input in inputs)
        {
            var bytes = new byte[input.ByteCount];
            if (input.Floats is { } floats)
            {
                for (var i = 0; i < floats.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), floats[i]);
                }
            }
            else
            {
                for (var i = 0; i < input.Longs!.Length; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), input.Longs[i]);
                }
            }

            stream.Write(bytes);
        }

        return new InferBody(stream.ToArray(), jsonLength);
    }

    private static void StartInput(Utf8JsonWriter json, TensorInput input)
    {
        json.WriteStartObject();
        json.WriteString("name", input.Name);
        json.WriteString("datatype", input.Datatype);
        json.WriteStartArray("shape");
        foreach (var dim in input.Shape)
        {
            json.WriteNumberValue(dim);
        }

        json.WriteEndArray();
    }
}
