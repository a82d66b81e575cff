using System.Collections;
using System.Globalization;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Schema;

/// <summary>
/// Validates an object against the same attributes and rules the CRD schema is built from, in the API server's
/// order: first the schema checks, then, only if none of those is of a kind that blocks rules (required, allowed
/// values, too long, too many), the cross-field rules. Messages are worded as the API server words them.
/// </summary>
internal static class ObjectValidator
{
    public static IReadOnlyList<ValidationError> Validate(InferenceService service)
    {
        var errors = new List<ValidationError>();
        ValidateObject(typeof(InferenceService), service, string.Empty, isRoot: true, errors);
        if (!errors.Exists(IsBlocking))
        {
            ApplyRules(typeof(InferenceService), service, string.Empty, errors);
        }

        return errors;
    }

    private static bool IsBlocking(ValidationError error) =>
        error.Kind is ValidationErrorKind.Required or ValidationErrorKind.NotSupported or ValidationErrorKind.TooLong or ValidationErrorKind.TooMany;

    private static void ValidateObject(Type type, object obj, string path, bool isRoot, List<ValidationError> errors)
    {
        var missing = new List<string>();
        foreach (var (name, property) in ApiTypes.Properties(type))
        {
            if (isRoot && name == "metadata")
            {
                continue;
            }

            var constraints = FieldConstraints.Of(type, property, name);
            var value = property.GetValue(obj);
            if (value is null)
            {
                if (constraints.Required)
                {
                    missing.Add(name);
                }

                continue;
            }

            ValidateValue(property.PropertyType, value, constraints, Child(path, name), errors);
        }

        errors.AddRange(missing.Select(name => new ValidationError(Child(path, name), ValidationErrorKind.Required, null, string.Empty)));
    }

    private static void ValidateValue(Type type, object value, FieldConstraints c, string path, List<ValidationError> errors)
    {
        switch (ApiTypes.ShapeOf(type))
        {
            case FieldShape.String:
                ValidateString((string)value, c, path, errors);
                break;
            case FieldShape.Integer or FieldShape.Long or FieldShape.Number:
                ValidateNumber(value, c, path, errors);
                break;
            case FieldShape.List:
                ValidateList(ApiTypes.ElementType(type), (IEnumerable)value, c, path, errors);
                break;
            case FieldShape.Map:
                ValidateMap(ApiTypes.ElementType(type), (IDictionary)value, c, path, errors);
                break;
            case FieldShape.Object:
                ValidateObject(Nullable.GetUnderlyingType(type) ?? type, value, path, isRoot: false, errors);
                break;
            default:
                break;
        }
    }

    private static void ValidateString(string text, FieldConstraints c, string path, List<ValidationError> errors)
    {
        if (c.Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.NotSupported, text,
                "supported values: " + string.Join(", ", allowed.Select(a => "\"" + a + "\""))));
        }

        var length = text.EnumerateRunes().Count();
        if (c.MaxLength is { } maxLength && length > maxLength)
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.TooLong, null,
                string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} bytes")));
        }
        else if (c.MinLength is { } minLength && length < minLength)
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.Invalid, text,
                string.Create(CultureInfo.InvariantCulture, $"{path} in body should be at least {minLength} chars long")));
        }

        if (c.Pattern is { } pattern && !ModelUri.Matches(text, pattern))
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.Invalid, text, $"{path} in body should match '{pattern}'"));
        }
    }

    private static void ValidateNumber(object value, FieldConstraints c, string path, List<ValidationError> errors)
    {
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (c.Maximum is { } maximum && number > maximum)
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.Invalid, value,
                $"{path} in body should be less than or equal to {GoFloat.Format(maximum)}"));
        }

        if (c.Minimum is { } minimum && (c.ExclusiveMinimum ? number <= minimum : number < minimum))
        {
            var words = c.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            errors.Add(new ValidationError(path, ValidationErrorKind.Invalid, value, $"{path} in body should be {words} {GoFloat.Format(minimum)}"));
        }
    }

    private static void ValidateList(Type elementType, IEnumerable list, FieldConstraints c, string path, List<ValidationError> errors)
    {
        var items = list.Cast<object?>().ToList();
        var itemConstraints = c.Items ?? new FieldConstraints();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item)
            {
                ValidateValue(elementType, item, itemConstraints, Index(path, i), errors);
            }
        }

        if (c.MinItems is { } minItems && items.Count < minItems)
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.Invalid, (long)items.Count,
                string.Create(CultureInfo.InvariantCulture, $"{path} in body should have at least {minItems} items")));
        }

        if (c.MaxItems is { } maxItems && items.Count > maxItems)
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.TooMany, (long)items.Count,
                string.Create(CultureInfo.InvariantCulture, $"must have at most {maxItems} items")));
        }

        if (c.ListType is "set" or "map")
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var key = c.ListType == "set" ? Convert.ToString(items[i], CultureInfo.InvariantCulture) ?? string.Empty : MapKey(items[i], c.MapKeys!);
                if (!seen.Add(key))
                {
                    errors.Add(new ValidationError(Index(path, i), ValidationErrorKind.Duplicate, c.ListType == "set" ? items[i] : key, string.Empty));
                }
            }
        }
    }

    private static void ValidateMap(Type valueType, IDictionary map, FieldConstraints c, string path, List<ValidationError> errors)
    {
        if (c.MaxItems is { } maxItems && map.Count > maxItems)
        {
            errors.Add(new ValidationError(path, ValidationErrorKind.TooMany, (long)map.Count,
                string.Create(CultureInfo.InvariantCulture, $"must have at most {maxItems} items")));
            return;
        }

        var valueConstraints = c.Items ?? new FieldConstraints();
        foreach (DictionaryEntry entry in map)
        {
            if (entry.Value is { } value)
            {
                // Schema errors name map entries with a dot, as the API server's OpenAPI validation does.
                ValidateValue(valueType, value, valueConstraints, path + "." + entry.Key, errors);
            }
        }
    }

    private static void ApplyRules(Type type, object obj, string path, List<ValidationError> errors)
    {
        foreach (var rule in TypeRules.For(type))
        {
            if (rule.Holds(obj))
            {
                continue;
            }

            var field = rule.FieldPath is null ? path : Child(path, rule.FieldPath.TrimStart('.'));
            var value = rule.FieldPath is null ? null : Scalar(obj, rule.FieldPath);
            errors.Add(new ValidationError(field.Length == 0 ? "<nil>" : field, rule.Kind, value, rule.Message));
        }

        foreach (var (name, property) in ApiTypes.Properties(type))
        {
            if (property.GetValue(obj) is not { } value)
            {
                continue;
            }

            var childPath = Child(path, name);
            switch (ApiTypes.ShapeOf(property.PropertyType))
            {
                case FieldShape.Object when ApiTypes.IsServalType(property.PropertyType):
                    ApplyRules(property.PropertyType, value, childPath, errors);
                    break;
                case FieldShape.List when ApiTypes.IsServalType(ApiTypes.ElementType(property.PropertyType)):
                    var i = 0;
                    foreach (var item in (IEnumerable)value)
                    {
                        ApplyRules(item.GetType(), item, Index(childPath, i++), errors);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The value a rule's field path names, when it is a scalar; null for objects, lists and maps.</summary>
    private static object? Scalar(object obj, string fieldPath)
    {
        object? current = obj;
        foreach (var segment in fieldPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current is null)
            {
                return null;
            }

            var property = ApiTypes.Properties(current.GetType()).FirstOrDefault(p => p.Name == segment).Property;
            current = property?.GetValue(current);
        }

        return current is string or bool or int or long or double ? current : null;
    }

    private static string MapKey(object? item, IReadOnlyList<string> keys)
    {
        if (item is null)
        {
            return string.Empty;
        }

        var properties = ApiTypes.Properties(item.GetType());
        return string.Join(",", keys.Select(k => $"{k}={properties.FirstOrDefault(p => p.Name == k).Property?.GetValue(item)}"));
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
