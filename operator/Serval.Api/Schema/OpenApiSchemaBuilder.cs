using k8s.Models;

namespace Serval.Api.Schema;

/// <summary>
/// Builds a structural OpenAPI v3 schema from the API types by reflection: types, descriptions from the XML docs,
/// required fields, bounds, patterns, enums, list types and the types' CEL rules.
/// </summary>
internal sealed class OpenApiSchemaBuilder(XmlDocumentation docs)
{
    /// <summary>
    /// The quantity pattern Kubernetes publishes for <c>resource.Quantity</c>: a signed decimal with an optional
    /// binary (Ki..Ei) or decimal (n..E) suffix or exponent.
    /// </summary>
    public const string QuantityPattern =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    private readonly Stack<Type> _path = new();

    /// <summary>The schema of a resource type (its root).</summary>
    public V1JSONSchemaProps Resource(Type type) => ObjectSchema(type, docs.Summary(type, markdown: false), isRoot: true);

    private V1JSONSchemaProps ObjectSchema(Type type, string? description, bool isRoot)
    {
        if (_path.Contains(type))
        {
            throw new InvalidOperationException($"{type.Name} contains itself; a structural schema cannot express recursion");
        }

        _path.Push(type);
        var properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var (name, property) in ApiTypes.Properties(type))
        {
            var constraints = FieldConstraints.Of(type, property, name);
            properties[name] = isRoot && name == "metadata"
                ? RootMetadata(Describe(property, constraints))
                : FieldSchema(property.PropertyType, constraints, Describe(property, constraints));
            if (constraints.Required)
            {
                required.Add(name);
            }
        }

        _path.Pop();
        var rules = TypeRules.For(type);
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = description,
            Properties = properties,
            Required = required.Count > 0 ? required : null,
            XKubernetesValidations = rules.Count > 0 ? [.. rules.Select(ToValidation)] : null,
        };
    }

    private V1JSONSchemaProps FieldSchema(Type type, FieldConstraints c, string? description)
    {
        var shape = ApiTypes.ShapeOf(type);
        var node = shape switch
        {
            FieldShape.String => new V1JSONSchemaProps { Type = "string" },
            FieldShape.Integer => new V1JSONSchemaProps { Type = "integer", Format = "int32" },
            FieldShape.Long => new V1JSONSchemaProps { Type = "integer", Format = "int64" },
            FieldShape.Number => new V1JSONSchemaProps { Type = "number" },
            FieldShape.Boolean => new V1JSONSchemaProps { Type = "boolean" },
            FieldShape.DateTime => new V1JSONSchemaProps { Type = "string", Format = "date-time" },
            FieldShape.Bytes => new V1JSONSchemaProps { Type = "string", Format = "byte" },
            FieldShape.Quantity => IntOrString(QuantityPattern),
            FieldShape.IntOrString => IntOrString(null),
            FieldShape.ObjectMeta => new V1JSONSchemaProps { Type = "object" },
            FieldShape.List => new V1JSONSchemaProps
            {
                Type = "array",
                Items = FieldSchema(ApiTypes.ElementType(type), c.Items ?? new FieldConstraints(), null),
                MinItems = c.MinItems,
                MaxItems = c.MaxItems,
                XKubernetesListType = c.ListType,
                XKubernetesListMapKeys = c.MapKeys is null ? null : [.. c.MapKeys],
            },
            FieldShape.Map => new V1JSONSchemaProps
            {
                Type = "object",
                AdditionalProperties = FieldSchema(ApiTypes.ElementType(type), c.Items ?? new FieldConstraints(), null),
                MaxProperties = c.MaxItems,
            },
            _ => ObjectSchema(type, null, isRoot: false),
        };
        node.Description = description;
        node.Minimum = c.Minimum;
        node.ExclusiveMinimum = c.ExclusiveMinimum ? true : null;
        node.Maximum = c.Maximum;
        node.MinLength = c.MinLength;
        node.MaxLength = c.MaxLength;
        node.Pattern = c.Pattern ?? node.Pattern;
        node.EnumProperty = c.Enum is null ? null : [.. c.Enum];
        return node;
    }

    // Only name and generateName may be described at the root; the name is declared so that rules can report on it.
    private static V1JSONSchemaProps RootMetadata(string? description) => new()
    {
        Type = "object",
        Description = description,
        Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal) { ["name"] = new() { Type = "string" } },
    };

    private static V1JSONSchemaProps IntOrString(string? pattern) => new()
    {
        AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
        Pattern = pattern,
        XKubernetesIntOrString = true,
    };

    private string? Describe(System.Reflection.PropertyInfo property, FieldConstraints c)
    {
        var summary = docs.Summary(property, markdown: false);
        return c.Default is null ? summary : $"{summary} {DefaultText.Sentence(c.Default)}".Trim();
    }

    private static V1ValidationRule ToValidation(IValidationRule rule) => new()
    {
        Rule = rule.Rule,
        Message = rule.Message,
        FieldPath = rule.FieldPath,
        Reason = rule.Kind switch
        {
            ValidationErrorKind.Invalid => null,
            ValidationErrorKind.Required => "FieldValueRequired",
            ValidationErrorKind.Forbidden => "FieldValueForbidden",
            ValidationErrorKind.Duplicate => "FieldValueDuplicate",
            _ => throw new InvalidOperationException($"a CEL rule cannot report {rule.Kind}"),
        },
    };
}
