using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Serval.Operator.Revisions;

/// <summary>
/// JSON in canonical form: object keys sorted ordinally, null-valued properties dropped, no whitespace, strings
/// escaped by the default encoder. Written straight to UTF-8 and hashed from there: a reconcile hashes every child
/// it builds, and building the text as a string first was a third of the operator's allocations in a burst.
/// </summary>
internal static class CanonicalJson
{
    public static byte[] Sha256(JsonElement element)
    {
        using var hash = new HashingBufferWriter();
        Write(hash, element);
        return hash.Finish();
    }

    public static string Text(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, element);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(IBufferWriter<byte> output, JsonElement element)
    {
        using var writer = new Utf8JsonWriter(output);
        Write(writer, element);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // Each JsonProperty.Name is a new string: read every name once, not at every comparison.
                var properties = new List<(string Name, JsonElement Value)>();
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        properties.Add((property.Name, property.Value));
                    }
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>Hands what the writer writes to SHA-256 through one pooled buffer, so the text is never kept whole.</summary>
    private sealed class HashingBufferWriter : IBufferWriter<byte>, IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

        public void Advance(int count) => _hash.AppendData(_buffer, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint);

        public byte[] Finish() => _hash.GetHashAndReset();

        public void Dispose()
        {
            _hash.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        private byte[] Ensure(int sizeHint)
        {
            if (sizeHint > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
            }

            return _buffer;
        }
    }
}
