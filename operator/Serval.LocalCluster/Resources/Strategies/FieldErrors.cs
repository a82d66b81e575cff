using System.Text.Json.Nodes;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>Collects field errors of one write and turns them into a 422 Invalid, worded as kube-apiserver words them.</summary>
internal sealed class FieldErrors
{
    private readonly List<StatusCause> _causes = [];

    public int Count => _causes.Count;

    public void Required(string field, string? detail = null) =>
        _causes.Add(new StatusCause("FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}", field));

    public void Invalid(string field, JsonNode? value, string detail) =>
        _causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {Render(value)}: {detail}", field));

    public void Invalid(string field, string value, string detail) => Invalid(field, JsonValue.Create(value), detail);

    public void Forbidden(string field, string detail) =>
        _causes.Add(new StatusCause("FieldValueForbidden", $"Forbidden: {detail}", field));

    public void NotSupported(string field, string value, IEnumerable<string> supported) =>
        _causes.Add(new StatusCause("FieldValueNotSupported",
            $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}", field));

    public void Add(StatusCause cause) => _causes.Add(cause);

    public void ThrowIfAny(ResourceType type, string name)
    {
        if (_causes.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name, _causes);
        }
    }

    public static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => $"\"{s}\"",
        _ => value.ToJsonString(),
    };
}
