using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serval.LocalCluster.Admission.Cel;

namespace Serval.LocalCluster.Admission.Schema;

/// <summary>
/// One node of a compiled structural schema: what the value may be, what it defaults to, which unknown
/// fields it keeps and which CEL rules it carries. Built once by <see cref="SchemaParser"/>, then read-only.
/// </summary>
internal sealed class SchemaNode
{
    public string? Type { get; init; }

    public string? Format { get; init; }

    public bool Nullable { get; init; }

    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    public string? Pattern { get; init; }

    public Regex? PatternRegex { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public double? MultipleOf { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Declared properties in schema order (errors come out in a stable order).</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaNode>> PropertyList { get; init; } = [];

    public IReadOnlyDictionary<string, SchemaNode> Properties { get; init; } = new Dictionary<string, SchemaNode>();

    /// <summary>The schema of a map's values (<c>additionalProperties: {...}</c>).</summary>
    public SchemaNode? AdditionalProperties { get; init; }

    /// <summary><c>additionalProperties: true</c>: a map of anything.</summary>
    public bool AdditionalPropertiesAny { get; init; }

    public SchemaNode? Items { get; init; }

    public bool IntOrString { get; init; }

    public bool PreserveUnknownFields { get; init; }

    public bool EmbeddedResource { get; init; }

    public string? ListType { get; init; }

    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    public string? MapType { get; init; }

    public bool HasDefault { get; init; }

    public JsonNode? Default { get; init; }

    public IReadOnlyList<SchemaNode> AllOf { get; init; } = [];

    public IReadOnlyList<SchemaNode> AnyOf { get; init; } = [];

    public IReadOnlyList<SchemaNode> OneOf { get; init; } = [];

    public SchemaNode? Not { get; init; }

    public IReadOnlyList<CelRule> Rules { get; init; } = [];

    /// <summary>Whether this node or any node below it carries a CEL rule (the CEL walk skips the rest).</summary>
    public bool HasRulesInSubtree { get; init; }

    /// <summary>Whether this node or any node below it has a default (the defaulting walk skips the rest).</summary>
    public bool HasDefaultsInSubtree { get; init; }

    /// <summary>The type name CEL errors print as the bad value ("object", "string", ... or "" for int-or-string).</summary>
    public string TypeForMessages => Type ?? string.Empty;

    /// <summary>The schema for a child field, or null when the field is unknown here.</summary>
    public SchemaNode? ChildSchema(string name) =>
        Properties.TryGetValue(name, out var child) ? child : AdditionalProperties;
}
