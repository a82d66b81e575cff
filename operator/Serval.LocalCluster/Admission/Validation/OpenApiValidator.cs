using System.Globalization;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission.Schema;

namespace Serval.LocalCluster.Admission.Validation;

/// <summary>
/// The OpenAPI v3 part of custom-resource validation: types, formats, bounds, enums, required fields, list types.
/// Messages follow kube-openapi's wording and apiextensions' mapping of them onto field errors.
/// </summary>
internal static class OpenApiValidator
{
    private const string In = " in body";

    /// <summary>Validates a whole object; at the root (and in embedded resources) ObjectMeta is left to the API server.</summary>
    public static void Validate(SchemaNode schema, JsonNode? value, bool isRoot, List<FieldError> errors) =>
        ValidateNode(schema, value, string.Empty, string.Empty, isRoot, errors);

    private static void ValidateNode(SchemaNode s, JsonNode? value, string name, string path, bool resourceRoot, List<FieldError> errors)
    {
        var kind = JsonValues.Kind(value);
        if (kind == JsonValues.Null)
        {
            if (!s.Nullable && s.Type is not null)
            {
                errors.Add(FieldErrors.TypeInvalid(name, "null", TypeMessage(name, s.Type, "null")));
            }

            return;
        }

        if (!CheckType(s, kind, value!, name, errors))
        {
            return;
        }

        ValidateComposition(s, value!, name, path, errors);

        switch (value)
        {
            case JsonValue scalar:
                ValidateScalar(s, scalar, kind, name, errors);
                break;
            case JsonArray array:
                ValidateArray(s, array, name, path, errors);
                break;
            case JsonObject obj:
                ValidateEnum(s, obj, name, errors);
                ValidateObject(s, obj, name, path, resourceRoot || s.EmbeddedResource, errors);
                break;
        }
    }

    private static bool CheckType(SchemaNode s, string kind, JsonNode value, string name, List<FieldError> errors)
    {
        if (s.IntOrString)
        {
            if (kind is JsonValues.String or JsonValues.Integer || (kind == JsonValues.Number && IsIntegralNumber(value)))
            {
                return true;
            }

            errors.Add(FieldErrors.TypeInvalid(name, kind, TypeMessage(name, "integer,string", kind)));
            return false;
        }

        if (s.Type is null)
        {
            return true;
        }

        var matches = s.Type switch
        {
            JsonValues.Number => kind is JsonValues.Number or JsonValues.Integer,
            JsonValues.Integer => kind == JsonValues.Integer || (kind == JsonValues.Number && IsIntegralNumber(value)),
            _ => s.Type == kind,
        };
        if (!matches)
        {
            errors.Add(FieldErrors.TypeInvalid(name, kind, TypeMessage(name, s.Type, kind)));
        }

        return matches;
    }

    private static bool IsIntegralNumber(JsonNode value) =>
        value is JsonValue v && JsonValues.IsIntegral(JsonValues.GetDouble(v));

    private static string TypeMessage(string name, string type, string actual) =>
        $"{name}{In} must be of type {type}: {GoFormat.Quote(actual)}";

    private static void ValidateComposition(SchemaNode s, JsonNode value, string name, string path, List<FieldError> errors)
    {
        foreach (var branch in s.AllOf)
        {
            ValidateNode(branch, value, name, path, false, errors);
        }

        if (s.AnyOf.Count > 0 && !s.AnyOf.Any(branch => Passes(branch, value, name, path)))
        {
            errors.Add(FieldErrors.Invalid(name, BadValue(value), $"{name}{In} must validate at least one schema (anyOf)"));
        }

        if (s.OneOf.Count > 0 && s.OneOf.Count(branch => Passes(branch, value, name, path)) != 1)
        {
            errors.Add(FieldErrors.Invalid(name, BadValue(value), $"{name}{In} must validate one and only one schema (oneOf)"));
        }

        if (s.Not is not null && Passes(s.Not, value, name, path))
        {
            errors.Add(FieldErrors.Invalid(name, BadValue(value), $"{name}{In} must not validate the schema (not)"));
        }
    }

    private static bool Passes(SchemaNode branch, JsonNode value, string name, string path)
    {
        var scratch = new List<FieldError>();
        ValidateNode(branch, value, name, path, false, scratch);
        return scratch.Count == 0;
    }

    private static object? BadValue(JsonNode? value) => value is JsonValue v ? JsonValues.ToScalar(v) : value;

    private static void ValidateScalar(SchemaNode s, JsonValue value, string kind, string name, List<FieldError> errors)
    {
        var scalar = JsonValues.ToScalar(value);
        if (scalar is string text)
        {
            ValidateString(s, text, name, errors);
        }
        else if (kind is JsonValues.Integer or JsonValues.Number)
        {
            ValidateNumber(s, scalar!, name, errors);
        }

        ValidateEnum(s, value, name, errors);
    }

    private static void ValidateString(SchemaNode s, string text, string name, List<FieldError> errors)
    {
        if (s.MaxLength is { } max || s.MinLength is not null)
        {
            var length = CountRunes(text);
            if (s.MaxLength is { } maxLength && length > maxLength)
            {
                errors.Add(FieldErrors.TooLong(name, maxLength));
            }

            if (s.MinLength is { } minLength && length < minLength)
            {
                errors.Add(FieldErrors.Invalid(name, text, string.Create(CultureInfo.InvariantCulture, $"{name}{In} should be at least {minLength} chars long")));
            }
        }

        if (s.PatternRegex is not null && !s.PatternRegex.IsMatch(text))
        {
            errors.Add(FieldErrors.Invalid(name, text, $"{name}{In} should match '{s.Pattern}'"));
        }

        if (s.Format is not null && !StringFormats.IsValid(s.Format, text))
        {
            errors.Add(FieldErrors.TypeInvalid(name, text, $"{name}{In} must be of type {s.Format}: {GoFormat.Quote(text)}"));
        }
    }

    private static int CountRunes(string text)
    {
        var count = 0;
        foreach (var unused in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static void ValidateNumber(SchemaNode s, object number, string name, List<FieldError> errors)
    {
        var d = number is long l ? l : (double)number;
        if (s.MultipleOf is { } factor && !IsMultipleOf(number, factor))
        {
            errors.Add(FieldErrors.Invalid(name, number, $"{name}{In} should be a multiple of {GoFormat.Float(factor)}"));
        }

        if (s.Maximum is { } maximum && (s.ExclusiveMaximum ? d >= maximum : d > maximum))
        {
            var words = s.ExclusiveMaximum ? "less than" : "less than or equal to";
            errors.Add(FieldErrors.Invalid(name, number, $"{name}{In} should be {words} {GoFormat.Float(maximum)}"));
        }

        if (s.Minimum is { } minimum && (s.ExclusiveMinimum ? d <= minimum : d < minimum))
        {
            var words = s.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            errors.Add(FieldErrors.Invalid(name, number, $"{name}{In} should be {words} {GoFormat.Float(minimum)}"));
        }

        if (s.Format == "int32" && (d < int.MinValue || d > int.MaxValue))
        {
            errors.Add(FieldErrors.TypeInvalid(name, number, $"{name}{In} must be of type int32: {GoFormat.Quote(GoFormat.Value(number))}"));
        }
    }

    private static bool IsMultipleOf(object number, double factor)
    {
        if (number is long l && JsonValues.IsIntegral(factor) && Math.Abs(factor) < 9.2e18)
        {
            return l % (long)factor == 0;
        }

        var quotient = (number is long whole ? whole : (double)number) / factor;
        return Math.Abs(quotient - Math.Round(quotient)) < 1e-9 * Math.Max(1, Math.Abs(quotient));
    }

    private static void ValidateEnum(SchemaNode s, JsonNode value, string name, List<FieldError> errors)
    {
        if (s.Enum is null || s.Enum.Any(allowed => JsonValues.DeepEquals(allowed, value)))
        {
            return;
        }

        var supported = s.Enum.Select(allowed =>
            allowed is JsonValue v && JsonValues.ToScalar(v) is string text ? text : allowed?.ToJsonString() ?? "null");
        errors.Add(FieldErrors.NotSupported(name, BadValue(value), supported));
    }

    private static void ValidateArray(SchemaNode s, JsonArray array, string name, string path, List<FieldError> errors)
    {
        if (s.Items is not null)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var itemName = FieldPaths.Index(name, i);
                ValidateNode(s.Items, array[i], itemName, FieldPaths.Index(path, i), false, errors);
            }
        }

        if (s.MinItems is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldErrors.Invalid(name, (long)array.Count, string.Create(CultureInfo.InvariantCulture, $"{name}{In} should have at least {minItems} items")));
        }

        if (s.MaxItems is { } maxItems && array.Count > maxItems)
        {
            errors.Add(FieldErrors.TooMany(name, array.Count, maxItems));
        }

        ValidateEnum(s, array, name, errors);
        ListTypeValidator.Validate(s, array, path, errors);
    }

    private static void ValidateObject(SchemaNode s, JsonObject obj, string name, string path, bool resourceRoot, List<FieldError> errors)
    {
        if (s.MinProperties is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldErrors.Invalid(name, (long)obj.Count, string.Create(CultureInfo.InvariantCulture, $"{name}{In} should have at least {minProperties} properties")));
            return;
        }

        if (s.MaxProperties is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldErrors.TooMany(name, obj.Count, maxProperties));
            return;
        }

        if (s.AdditionalProperties is not null)
        {
            foreach (var (key, child) in obj)
            {
                if (!s.Properties.ContainsKey(key))
                {
                    ValidateNode(s.AdditionalProperties, child, name + "." + key, FieldPaths.Key(path, key), false, errors);
                }
            }
        }

        foreach (var (property, childSchema) in s.PropertyList)
        {
            if (resourceRoot && property == "metadata")
            {
                continue;
            }

            if (obj.TryGetPropertyValue(property, out var child))
            {
                ValidateNode(childSchema, child, FieldPaths.Child(name, property), FieldPaths.Child(path, property), false, errors);
            }
        }

        foreach (var required in s.Required)
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldErrors.Required(FieldPaths.Child(name, required)));
            }
        }

        if (s.EmbeddedResource)
        {
            foreach (var field in (string[])["apiVersion", "kind"])
            {
                if (!obj.TryGetPropertyValue(field, out var v) || v is not JsonValue fv || JsonValues.ToScalar(fv) is not string { Length: > 0 })
                {
                    errors.Add(FieldErrors.Required(FieldPaths.Child(path, field), "must not be empty"));
                }
            }
        }
    }
}
