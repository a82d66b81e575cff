using System.Text.Json;
using Serval.Worker.Tensors;

namespace Serval.Worker.Protocol;

/// <summary>
/// Parses a V2 inference request (JSON, optionally followed by the binary tensor data extension's
/// bytes) with <see cref="Utf8JsonReader"/>. Members may come in any order, so each input's
/// <c>data</c> is located first and decoded once its datatype and shape are known.
/// </summary>
internal static class InferRequestParser
{
    private sealed class PendingInput
    {
        public string? Name;
        public TensorDatatype? Datatype;
        public long[]? Shape;
        public int DataStart = -1;
        public int DataLength;
        public long? BinarySize;
    }

    /// <exception cref="ProtocolException">The request is malformed; the message says where.</exception>
    public static InferRequest Parse(ReadOnlySpan<byte> json, ReadOnlySpan<byte> binary, long maxTensorElements)
    {
        string? id = null;
        List<PendingInput>? pending = null;
        List<RequestedOutput>? outputs = null;
        var binaryDataOutput = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw ProtocolException.BadRequest("the request body must be a JSON object with an 'inputs' array");
            }

            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String
                        ? reader.GetString()
                        : throw ProtocolException.BadRequest($"'id' must be a string, not {Describe(ref reader)}");
                }
                else if (reader.ValueTextEquals("inputs"u8))
                {
                    pending = ReadInputs(ref reader);
                }
                else if (reader.ValueTextEquals("outputs"u8))
                {
                    outputs = ReadOutputs(ref reader);
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    binaryDataOutput = ReadRequestParameters(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // A second top-level value (or trailing garbage) makes this throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw ProtocolException.BadRequest($"malformed JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // The reader checks UTF-8 only when it decodes a string, and reports it this way.
            throw ProtocolException.BadRequest($"malformed JSON: {e.Message}");
        }

        if (pending is null)
        {
            throw ProtocolException.BadRequest("the request has no 'inputs' array");
        }

        var inputs = new List<Tensor>(pending.Count);
        try
        {
            var binaryOffset = 0;
            foreach (var input in pending)
            {
                inputs.Add(Materialize(input, json, binary, ref binaryOffset, maxTensorElements));
            }

            if (binaryOffset != binary.Length)
            {
                throw ProtocolException.BadRequest(
                    $"the binary part of the request has {binary.Length - binaryOffset} bytes that no input's 'binary_data_size' claims");
            }
        }
        catch
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }

            throw;
        }

        return new InferRequest(id, inputs, outputs, binaryDataOutput);
    }

    private static Tensor Materialize(PendingInput input, ReadOnlySpan<byte> json, ReadOnlySpan<byte> binary, ref int binaryOffset, long maxTensorElements)
    {
        var name = input.Name!;
        var datatype = input.Datatype!.Value;
        var shape = input.Shape!;
        var count = TensorShape.ElementCount(shape, maxTensorElements);
        if (count < 0)
        {
            throw ProtocolException.BadRequest(
                $"input '{name}': shape {TensorShape.Format(shape)} has more than the {maxTensorElements} elements allowed per tensor");
        }

        if (input.BinarySize is { } size)
        {
            if (input.DataStart >= 0)
            {
                throw ProtocolException.BadRequest($"input '{name}' has both 'data' and the 'binary_data_size' parameter; send one");
            }

            if (size > binary.Length - binaryOffset)
            {
                throw ProtocolException.BadRequest(
                    $"input '{name}': 'binary_data_size' is {size} but only {binary.Length - binaryOffset} bytes of binary data remain");
            }

            var bytes = binary.Slice(binaryOffset, (int)size);
            binaryOffset += (int)size;
            return new Tensor(name, datatype, shape, BinaryTensorData.Read(bytes, name, datatype, shape, (int)count));
        }

        if (input.DataStart < 0)
        {
            throw ProtocolException.BadRequest($"input '{name}' has no 'data' (and no 'binary_data_size' parameter)");
        }

        var data = json.Slice(input.DataStart, input.DataLength);
        return new Tensor(name, datatype, shape, JsonTensorData.Read(data, name, datatype, shape, (int)count));
    }

    private static List<PendingInput> ReadInputs(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest($"'inputs' must be an array, not {Describe(ref reader)}");
        }

        var inputs = new List<PendingInput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var position = inputs.Count;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw ProtocolException.BadRequest($"inputs[{position}] must be an object, not {Describe(ref reader)}");
            }

            var input = new PendingInput();
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    input.Name = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0
                        ? reader.GetString()
                        : throw ProtocolException.BadRequest($"inputs[{position}].name must be a non-empty string, not {Describe(ref reader)}");
                }
                else if (reader.ValueTextEquals("datatype"u8))
                {
                    reader.Read();
                    input.Datatype = ReadDatatype(ref reader, $"inputs[{position}]");
                }
                else if (reader.ValueTextEquals("shape"u8))
                {
                    input.Shape = ReadShape(ref reader, $"inputs[{position}]");
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    input.DataStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    input.DataLength = (int)reader.BytesConsumed - input.DataStart;
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    input.BinarySize = ReadInputParameters(ref reader, $"inputs[{position}]");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            var label = input.Name is null ? $"inputs[{position}]" : $"input '{input.Name}'";
            if (input.Name is null)
            {
                throw ProtocolException.BadRequest($"{label} has no 'name'");
            }

            if (input.Datatype is null)
            {
                throw ProtocolException.BadRequest($"{label} has no 'datatype'");
            }

            if (input.Shape is null)
            {
                throw ProtocolException.BadRequest($"{label} has no 'shape'");
            }

            inputs.Add(input);
        }

        return inputs;
    }

    private static List<RequestedOutput> ReadOutputs(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest($"'outputs' must be an array, not {Describe(ref reader)}");
        }

        var outputs = new List<RequestedOutput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var position = outputs.Count;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw ProtocolException.BadRequest($"outputs[{position}] must be an object, not {Describe(ref reader)}");
            }

            string? name = null;
            bool? binary = null;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0
                        ? reader.GetString()
                        : throw ProtocolException.BadRequest($"outputs[{position}].name must be a non-empty string, not {Describe(ref reader)}");
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    binary = ReadOutputParameters(ref reader, $"outputs[{position}]");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            outputs.Add(new RequestedOutput(name ?? throw ProtocolException.BadRequest($"outputs[{position}] has no 'name'"), binary));
        }

        return outputs;
    }

    private static TensorDatatype ReadDatatype(ref Utf8JsonReader reader, string where)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw ProtocolException.BadRequest($"{where}.datatype must be a string, not {Describe(ref reader)}");
        }

        if (reader.ValueIsEscaped || !TensorDatatypes.TryParse(reader.ValueSpan, out var datatype))
        {
            throw ProtocolException.BadRequest(
                $"{where}.datatype '{reader.GetString()}' is not one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES");
        }

        return datatype;
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, string where)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ProtocolException.BadRequest($"{where}.shape must be an array of whole numbers, not {Describe(ref reader)}");
        }

        Span<long> dims = stackalloc long[32];
        var rank = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
            {
                throw ProtocolException.BadRequest($"{where}.shape[{rank}] must be a whole number ≥ 0, not {Describe(ref reader)}");
            }

            if (rank == dims.Length)
            {
                throw ProtocolException.BadRequest($"{where}.shape has more than {dims.Length} dimensions");
            }

            dims[rank++] = dim;
        }

        return dims[..rank].ToArray();
    }

    private static bool ReadRequestParameters(ref Utf8JsonReader reader)
    {
        var binaryDataOutput = false;
        StartParameters(ref reader, "parameters");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("binary_data_output"u8))
            {
                reader.Read();
                binaryDataOutput = ReadBool(ref reader, "parameters.binary_data_output");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return binaryDataOutput;
    }

    private static long? ReadInputParameters(ref Utf8JsonReader reader, string where)
    {
        long? size = null;
        StartParameters(ref reader, where + ".parameters");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("binary_data_size"u8))
            {
                reader.Read();
                size = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0 && value <= int.MaxValue
                    ? value
                    : throw ProtocolException.BadRequest(
                        $"{where}.parameters.binary_data_size must be a whole number of bytes, not {Describe(ref reader)}");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return size;
    }

    private static bool? ReadOutputParameters(ref Utf8JsonReader reader, string where)
    {
        bool? binary = null;
        StartParameters(ref reader, where + ".parameters");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("binary_data"u8))
            {
                reader.Read();
                binary = ReadBool(ref reader, where + ".parameters.binary_data");
            }
            else if (reader.ValueTextEquals("classification"u8))
            {
                throw ProtocolException.BadRequest($"{where}.parameters.classification is not supported by this server");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return binary;
    }

    private static void StartParameters(ref Utf8JsonReader reader, string where)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ProtocolException.BadRequest($"'{where}' must be an object, not {Describe(ref reader)}");
        }
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string where) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw ProtocolException.BadRequest($"{where} must be true or false, not {Describe(ref reader)}"),
    };

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException($"expected a property name, found {reader.TokenType}"),
        };
    }

    /// <summary>A short description of the current token for error messages.</summary>
    internal static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Truncate(reader.GetString() ?? "")}\"",
        JsonTokenType.Number => $"the number {Truncate(System.Text.Encoding.UTF8.GetString(reader.ValueSpan))}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => reader.TokenType.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
