using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serval.LocalCluster.Admission.Cel;
using Serval.LocalCluster.Admission.Pruning;
using Serval.LocalCluster.Admission.Validation;

namespace Serval.LocalCluster.Admission.Schema;

/// <summary>
/// Reads a CRD's <c>openAPIV3Schema</c> into <see cref="SchemaNode"/>s, checking that it is structural as
/// apiextensions requires (a type everywhere, no $ref, no uniqueItems, valid list and map types, metadata left
/// alone, valid defaults) and compiling every CEL rule. All problems are collected, each naming its path.
/// </summary>
internal sealed class SchemaParser
{
    private const string RootPath = "openAPIV3Schema";

    private static readonly string[] Types = ["array", "boolean", "integer", "number", "object", "string"];
    private static readonly string[] UnsupportedKeywords = ["$ref", "additionalItems", "patternProperties", "dependencies", "definitions", "id", "$schema"];
    private static readonly string[] Reasons = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"];
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    private readonly CelRuleCompiler _cel;
    private readonly List<FieldError> _errors = [];

    public SchemaParser(CelRuleCompiler cel)
    {
        _cel = cel;
    }

    /// <summary>The compiled root, or <see cref="SchemaCompileException"/> listing every problem found.</summary>
    public SchemaNode ParseRoot(JsonNode? schema)
    {
        var root = Parse(schema, RootPath, new Context(IsRoot: true, ValueValidation: false, Correlatable: true));
        if (_errors.Count > 0)
        {
            throw new SchemaCompileException([.. _errors]);
        }

        return root;
    }

    private readonly record struct Context(bool IsRoot, bool ValueValidation, bool Correlatable)
    {
        public Context Child(bool correlatable) => this with { IsRoot = false, Correlatable = correlatable };
    }

    private SchemaNode Parse(JsonNode? raw, string path, Context ctx)
    {
        if (raw is not JsonObject o)
        {
            Fail(FieldErrors.Invalid(path, raw?.ToJsonString() ?? "null", "must be a schema object"));
            return new SchemaNode();
        }

        foreach (var keyword in UnsupportedKeywords)
        {
            if (o.ContainsKey(keyword))
            {
                Fail(FieldErrors.Forbidden(Key(path, keyword), $"{keyword.TrimStart('$')} is not supported"));
            }
        }

        var type = ReadString(o, "type", path);
        var intOrString = ReadBool(o, "x-kubernetes-int-or-string", path) ?? false;
        var preserve = ReadBool(o, "x-kubernetes-preserve-unknown-fields", path);
        var embedded = ReadBool(o, "x-kubernetes-embedded-resource", path) ?? false;
        CheckType(type, intOrString, preserve, embedded, o, path, ctx);

        if (ReadBool(o, "uniqueItems", path) == true)
        {
            Fail(FieldErrors.Forbidden(Key(path, "uniqueItems"), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        var listType = ReadString(o, "x-kubernetes-list-type", path);
        var properties = ParseProperties(o, path, ctx);
        var (additional, additionalAny) = ParseAdditionalProperties(o, path, ctx, properties.Count > 0);
        var items = ParseItems(o, type, listType, path, ctx);
        var listMapKeys = ReadStringList(o, "x-kubernetes-list-map-keys", path) ?? [];
        var mapType = ReadString(o, "x-kubernetes-map-type", path);
        CheckListAndMapTypes(type, listType, listMapKeys, mapType, items, path);

        var pattern = ReadString(o, "pattern", path);
        var propertyMap = properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        // Rules see only the shape below them (for fieldPath), so they compile before the node is assembled.
        var shape = new SchemaNode
        {
            Properties = propertyMap,
            AdditionalProperties = additional,
            AdditionalPropertiesAny = additionalAny,
            PreserveUnknownFields = preserve == true,
        };
        var rules = ParseRules(o, shape, path, ctx);
        var children = properties.Select(p => p.Value).Append(items).Append(additional).OfType<SchemaNode>().ToList();
        var hasDefault = o.ContainsKey("default");
        var node = new SchemaNode
        {
            Type = type,
            Format = ReadString(o, "format", path),
            Nullable = ReadBool(o, "nullable", path) ?? false,
            Enum = ReadArray(o, "enum", path)?.Select(v => v?.DeepClone()).ToList(),
            Pattern = pattern,
            PatternRegex = pattern is null ? null : CompilePattern(pattern, path),
            Minimum = ReadNumber(o, "minimum", path),
            Maximum = ReadNumber(o, "maximum", path),
            ExclusiveMinimum = ReadBool(o, "exclusiveMinimum", path) ?? false,
            ExclusiveMaximum = ReadBool(o, "exclusiveMaximum", path) ?? false,
            MultipleOf = ReadMultipleOf(o, path),
            MinLength = ReadCount(o, "minLength", path),
            MaxLength = ReadCount(o, "maxLength", path),
            MinItems = ReadCount(o, "minItems", path),
            MaxItems = ReadCount(o, "maxItems", path),
            MinProperties = ReadCount(o, "minProperties", path),
            MaxProperties = ReadCount(o, "maxProperties", path),
            Required = ReadStringList(o, "required", path) ?? [],
            PropertyList = properties,
            Properties = propertyMap,
            AdditionalProperties = additional,
            AdditionalPropertiesAny = additionalAny,
            Items = items,
            IntOrString = intOrString,
            PreserveUnknownFields = preserve == true,
            EmbeddedResource = embedded,
            ListType = listType,
            ListMapKeys = listMapKeys,
            MapType = mapType,
            HasDefault = hasDefault,
            Default = o["default"]?.DeepClone(),
            AllOf = ParseBranches(o, "allOf", path, ctx),
            AnyOf = ParseBranches(o, "anyOf", path, ctx),
            OneOf = ParseBranches(o, "oneOf", path, ctx),
            Not = o.TryGetPropertyValue("not", out var not) ? Parse(not, Key(path, "not"), ctx with { IsRoot = false, ValueValidation = true }) : null,
            Rules = rules,
            HasRulesInSubtree = rules.Count > 0 || children.Any(c => c.HasRulesInSubtree),
            HasDefaultsInSubtree = hasDefault || children.Any(c => c.HasDefaultsInSubtree),
        };

        if (hasDefault)
        {
            CheckDefault(node, path, ctx);
        }

        return node;
    }

    private void CheckType(string? type, bool intOrString, bool? preserve, bool embedded, JsonObject o, string path, Context ctx)
    {
        var typePath = Key(path, "type");
        if (type == "null")
        {
            Fail(FieldErrors.Forbidden(typePath, "type cannot be set to null, use nullable as an alternative"));
        }
        else if (type is not null && !Types.Contains(type))
        {
            Fail(FieldErrors.NotSupported(typePath, type, Types));
        }

        if (preserve == false)
        {
            Fail(FieldErrors.Invalid(Key(path, "x-kubernetes-preserve-unknown-fields"), false, "must be true or undefined"));
        }

        if (intOrString && type is not null)
        {
            Fail(FieldErrors.Invalid(typePath, type, "must be empty if x-kubernetes-int-or-string is true"));
        }

        if (ctx.IsRoot && type != "object")
        {
            Fail(FieldErrors.Invalid(typePath, type ?? string.Empty, "must be object at the root"));
        }
        else if (!ctx.ValueValidation && type is null && !intOrString && preserve != true)
        {
            Fail(FieldErrors.Required(typePath, "must not be empty for specified object fields"));
        }

        if (embedded)
        {
            if (type != "object")
            {
                Fail(FieldErrors.Invalid(typePath, type ?? string.Empty, "must be object if x-kubernetes-embedded-resource is true"));
            }

            if (preserve != true && o["properties"] is not JsonObject { Count: > 0 })
            {
                Fail(FieldErrors.Required(Key(path, "x-kubernetes-preserve-unknown-fields"),
                    "must be true if x-kubernetes-embedded-resource is true and properties are empty"));
            }
        }
    }

    private List<KeyValuePair<string, SchemaNode>> ParseProperties(JsonObject o, string path, Context ctx)
    {
        var result = new List<KeyValuePair<string, SchemaNode>>();
        if (!o.TryGetPropertyValue("properties", out var raw) || raw is null)
        {
            return result;
        }

        if (raw is not JsonObject properties)
        {
            Fail(FieldErrors.Invalid(Key(path, "properties"), raw.ToJsonString(), "must be an object of schemas"));
            return result;
        }

        foreach (var (name, child) in properties)
        {
            var childPath = Key(path, "properties") + "[" + name + "]";
            if (ctx.IsRoot && name == "metadata")
            {
                CheckMetadata(child, childPath);
            }

            result.Add(new(name, Parse(child, childPath, ctx.Child(ctx.Correlatable))));
        }

        return result;
    }

    // ObjectMeta belongs to the API server: a CRD may restrict only metadata.name and metadata.generateName.
    private void CheckMetadata(JsonNode? raw, string path)
    {
        if (raw is not JsonObject metadata)
        {
            return;
        }

        var allowed = new HashSet<string>(StringComparer.Ordinal) { "type", "description", "properties" };
        var extra = metadata.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        var extraProperties = (metadata["properties"] as JsonObject)?.Select(p => p.Key).Where(k => k is not ("name" or "generateName")).ToList() ?? [];
        if (extra.Count > 0 || extraProperties.Count > 0)
        {
            Fail(FieldErrors.Forbidden(path, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }
    }

    private (SchemaNode? Schema, bool Any) ParseAdditionalProperties(JsonObject o, string path, Context ctx, bool hasProperties)
    {
        if (!o.TryGetPropertyValue("additionalProperties", out var raw) || raw is null)
        {
            return (null, false);
        }

        var apPath = Key(path, "additionalProperties");
        if (hasProperties)
        {
            Fail(FieldErrors.Forbidden(apPath, "additionalProperties and properties are mutual exclusive"));
        }

        if (raw is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            if (v.GetValueKind() == JsonValueKind.False)
            {
                Fail(FieldErrors.Forbidden(apPath, "additionalProperties cannot be set to false"));
                return (null, false);
            }

            return (null, true);
        }

        return (Parse(raw, apPath, ctx.Child(ctx.Correlatable)), false);
    }

    private SchemaNode? ParseItems(JsonObject o, string? type, string? listType, string path, Context ctx)
    {
        var itemsPath = Key(path, "items");
        if (!o.TryGetPropertyValue("items", out var raw) || raw is null)
        {
            if (type == "array" && !ctx.ValueValidation)
            {
                Fail(FieldErrors.Required(itemsPath, "must be specified"));
            }

            return null;
        }

        if (raw is JsonArray)
        {
            Fail(FieldErrors.Forbidden(itemsPath, "items must be a schema object and not an array"));
            return null;
        }

        // Only map lists have an identity per item, so only their items can see their own old values.
        return Parse(raw, itemsPath, ctx.Child(ctx.Correlatable && listType == "map"));
    }

    private void CheckListAndMapTypes(string? type, string? listType, List<string> listMapKeys, string? mapType, SchemaNode? items, string path)
    {
        var listTypePath = Key(path, "x-kubernetes-list-type");
        if (listType is not null)
        {
            if (type != "array")
            {
                Fail(FieldErrors.Invalid(listTypePath, listType, "must only be used on type=array"));
            }
            else if (listType is not ("atomic" or "set" or "map"))
            {
                Fail(FieldErrors.NotSupported(listTypePath, listType, ["atomic", "set", "map"]));
            }
        }

        if (listMapKeys.Count > 0 && listType != "map")
        {
            Fail(FieldErrors.Invalid(listTypePath, listType ?? string.Empty, "must be map if x-kubernetes-list-map-keys is non-empty"));
        }

        if (listType == "map" && items is not null)
        {
            CheckListMapKeys(listMapKeys, items, path);
        }

        if (listType == "set" && items is { Type: "object" } && items.MapType != "atomic")
        {
            Fail(FieldErrors.Invalid(Key(Key(path, "items"), "x-kubernetes-map-type"), items.MapType ?? string.Empty,
                "must be atomic as item of a list with x-kubernetes-list-type=set"));
        }

        if (mapType is not null)
        {
            var mapTypePath = Key(path, "x-kubernetes-map-type");
            if (type != "object")
            {
                Fail(FieldErrors.Invalid(mapTypePath, mapType, "must only be used on type=object"));
            }
            else if (mapType is not ("granular" or "atomic"))
            {
                Fail(FieldErrors.NotSupported(mapTypePath, mapType, ["granular", "atomic"]));
            }
        }
    }

    private void CheckListMapKeys(List<string> keys, SchemaNode items, string path)
    {
        var itemsPath = Key(path, "items");
        if (keys.Count == 0)
        {
            Fail(FieldErrors.Required(Key(path, "x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"));
        }

        if (items.Type != "object")
        {
            Fail(FieldErrors.Invalid(Key(itemsPath, "type"), items.Type ?? string.Empty, "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }

        foreach (var key in keys)
        {
            var keyPath = Key(itemsPath, "properties") + "[" + key + "]";
            if (!items.Properties.TryGetValue(key, out var keySchema))
            {
                Fail(FieldErrors.Required(keyPath, "entries of x-kubernetes-list-map-keys must be properties of the items"));
                continue;
            }

            if (keySchema.Type is "object" or "array")
            {
                Fail(FieldErrors.Invalid(Key(keyPath, "type"), keySchema.Type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }

            if (!items.Required.Contains(key) && !keySchema.HasDefault)
            {
                Fail(FieldErrors.Required(keyPath, "entries of x-kubernetes-list-map-keys must be the names of required properties or have a default value"));
            }
        }
    }

    private List<SchemaNode> ParseBranches(JsonObject o, string keyword, string path, Context ctx)
    {
        var branches = ReadArray(o, keyword, path);
        if (branches is null)
        {
            return [];
        }

        var result = new List<SchemaNode>();
        for (var i = 0; i < branches.Count; i++)
        {
            var branchPath = Key(path, keyword) + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            result.Add(Parse(branches[i], branchPath, ctx with { IsRoot = false, ValueValidation = true }));
        }

        return result;
    }

    private Regex? CompilePattern(string pattern, string path)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, PatternTimeout);
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            Fail(FieldErrors.Invalid(Key(path, "pattern"), pattern, "must be a valid regular expression, but isn't: " + ex.Message));
            return null;
        }
        catch (NotSupportedException ex)
        {
            Fail(FieldErrors.Invalid(Key(path, "pattern"), pattern, "must be a valid regular expression, but isn't: " + ex.Message));
            return null;
        }
    }

    private List<CelRule> ParseRules(JsonObject o, SchemaNode node, string path, Context ctx)
    {
        var rules = new List<CelRule>();
        var rulesPath = Key(path, "x-kubernetes-validations");
        var raw = ReadArray(o, "x-kubernetes-validations", path);
        if (raw is null)
        {
            return rules;
        }

        if (ctx.ValueValidation)
        {
            Fail(FieldErrors.Forbidden(rulesPath, "must not be used inside allOf, anyOf, oneOf or not"));
            return rules;
        }

        for (var i = 0; i < raw.Count; i++)
        {
            var rulePath = rulesPath + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (raw[i] is not JsonObject entry)
            {
                Fail(FieldErrors.Invalid(rulePath, raw[i]?.ToJsonString() ?? "null", "must be an object with a rule"));
                continue;
            }

            var rule = ParseRule(entry, node, rulePath, path, ctx);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private CelRule? ParseRule(JsonObject entry, SchemaNode node, string rulePath, string schemaPath, Context ctx)
    {
        var errorsBefore = _errors.Count;
        var text = ReadString(entry, "rule", rulePath);
        if (string.IsNullOrWhiteSpace(text))
        {
            Fail(FieldErrors.Required(Key(rulePath, "rule"), string.Empty));
            return null;
        }

        var compiled = _cel.TryCompile(text, out var error);
        if (compiled is null)
        {
            Fail(FieldErrors.Invalid(Key(rulePath, "rule"), text, "compilation failed: " + error));
        }
        else if (compiled.UsesOldSelf && !ctx.Correlatable)
        {
            Fail(FieldErrors.Invalid(Key(rulePath, "rule"), text, $"oldSelf cannot be used on the uncorrelatable portion of the schema within {schemaPath}"));
        }

        var message = ReadString(entry, "message", rulePath);
        if (message is not null && message.Trim().Length == 0)
        {
            Fail(FieldErrors.Invalid(Key(rulePath, "message"), message, "message must be non-empty if specified"));
        }
        else if (message is not null && message.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            Fail(FieldErrors.Invalid(Key(rulePath, "message"), message, "message must not contain line breaks"));
        }

        CompiledExpression? messageExpression = null;
        var messageExpressionText = ReadString(entry, "messageExpression", rulePath);
        if (messageExpressionText is not null)
        {
            messageExpression = _cel.TryCompile(messageExpressionText, out var messageError);
            if (messageExpression is null)
            {
                Fail(FieldErrors.Invalid(Key(rulePath, "messageExpression"), messageExpressionText, "messageExpression compilation failed: " + messageError));
            }
        }

        var reason = FieldErrorType.Invalid;
        var reasonText = ReadString(entry, "reason", rulePath);
        if (reasonText is not null)
        {
            reason = reasonText switch
            {
                "FieldValueInvalid" => FieldErrorType.Invalid,
                "FieldValueForbidden" => FieldErrorType.Forbidden,
                "FieldValueRequired" => FieldErrorType.Required,
                "FieldValueDuplicate" => FieldErrorType.Duplicate,
                _ => UnsupportedReason(Key(rulePath, "reason"), reasonText),
            };
        }

        string? fieldPath = null;
        var fieldPathText = ReadString(entry, "fieldPath", rulePath);
        if (fieldPathText is not null)
        {
            fieldPath = RuleFieldPath.Normalize(fieldPathText, node, out var pathError);
            if (fieldPath is null)
            {
                Fail(FieldErrors.Invalid(Key(rulePath, "fieldPath"), fieldPathText, pathError));
            }
        }

        if (ReadBool(entry, "optionalOldSelf", rulePath) == true)
        {
            Fail(FieldErrors.Forbidden(Key(rulePath, "optionalOldSelf"), "optionalOldSelf is not supported: CEL optional values are not available"));
        }

        return _errors.Count > errorsBefore || compiled is null
            ? null
            : new CelRule(compiled, message, messageExpression, fieldPath, reason);
    }

    private FieldErrorType UnsupportedReason(string path, string reason)
    {
        Fail(FieldErrors.NotSupported(path, reason, Reasons));
        return FieldErrorType.Invalid;
    }

    // A default must survive pruning unchanged and pass the schema it defaults, or every object would carry an invalid value.
    private void CheckDefault(SchemaNode node, string path, Context ctx)
    {
        var defaultPath = Key(path, "default");
        if (ctx.ValueValidation)
        {
            Fail(FieldErrors.Forbidden(defaultPath, "must not be used inside allOf, anyOf, oneOf or not"));
            return;
        }

        if (node.Default is null)
        {
            if (!node.Nullable)
            {
                Fail(FieldErrors.Invalid(defaultPath, null, "must not be null for a field that is not nullable"));
            }

            return;
        }

        var copy = node.Default.DeepClone();
        var pruned = Pruner.Prune(node, copy, isRoot: false);
        if (pruned.Count > 0)
        {
            Fail(FieldErrors.Invalid(defaultPath, node.Default, "must not have unknown fields: " + string.Join(", ", pruned)));
        }

        var errors = new List<FieldError>();
        OpenApiValidator.Validate(node, copy, isRoot: false, errors);
        foreach (var error in errors)
        {
            var field = error.Field == FieldPaths.RootDisplay ? defaultPath : defaultPath + "." + error.Field;
            Fail(error with { Field = field });
        }
    }

    private void Fail(FieldError error) => _errors.Add(error);

    private static string Key(string path, string key) => path + "." + key;

    private string? ReadString(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var raw) || raw is null)
        {
            return null;
        }

        if (raw is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        Fail(FieldErrors.Invalid(Key(path, key), raw.ToJsonString(), "must be a string"));
        return null;
    }

    private bool? ReadBool(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var raw) || raw is null)
        {
            return null;
        }

        if (raw is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValueKind() == JsonValueKind.True;
        }

        Fail(FieldErrors.Invalid(Key(path, key), raw.ToJsonString(), "must be a boolean"));
        return null;
    }

    private double? ReadNumber(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var raw) || raw is null)
        {
            return null;
        }

        if (raw is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return JsonValues.GetDouble(v);
        }

        Fail(FieldErrors.Invalid(Key(path, key), raw.ToJsonString(), "must be a number"));
        return null;
    }

    private double? ReadMultipleOf(JsonObject o, string path)
    {
        var factor = ReadNumber(o, "multipleOf", path);
        if (factor is <= 0)
        {
            Fail(FieldErrors.Invalid(Key(path, "multipleOf"), factor.Value, "must be greater than zero"));
            return null;
        }

        return factor;
    }

    private long? ReadCount(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var raw) || raw is null)
        {
            return null;
        }

        if (raw is JsonValue v && v.GetValueKind() == JsonValueKind.Number && JsonValues.TryGetInt64(v, out var count) && count >= 0)
        {
            return count;
        }

        Fail(FieldErrors.Invalid(Key(path, key), raw.ToJsonString(), "must be a non-negative integer"));
        return null;
    }

    private JsonArray? ReadArray(JsonObject o, string key, string path)
    {
        if (!o.TryGetPropertyValue(key, out var raw) || raw is null)
        {
            return null;
        }

        if (raw is JsonArray array)
        {
            return array;
        }

        Fail(FieldErrors.Invalid(Key(path, key), raw.ToJsonString(), "must be an array"));
        return null;
    }

    private List<string>? ReadStringList(JsonObject o, string key, string path)
    {
        var array = ReadArray(o, key, path);
        if (array is null)
        {
            return null;
        }

        var result = new List<string>();
        foreach (var item in array)
        {
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result.Add(v.GetValue<string>());
            }
            else
            {
                Fail(FieldErrors.Invalid(Key(path, key), array.ToJsonString(), "must be a list of strings"));
                return null;
            }
        }

        return result;
    }
}
