using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serval.Controllers.Serialization;

/// <summary>Reads JSON strings (values and property names) through a <see cref="StringPool"/>; writes them as usual.</summary>
public sealed class PooledStringJsonConverter(StringPool pool) : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueIsEscaped
            ? reader.GetString() // other tokens fail here as they do without the pool
            : pool.Get(reader.ValueSpan);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.HasValueSequence || reader.ValueIsEscaped ? reader.GetString()! : pool.Get(reader.ValueSpan);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }
}
