using System.Globalization;
using System.Text;
using k8s.Models;
using Serval.Api.Schema;
using Serval.Api.V1Alpha1;

namespace Serval.Api.Crd;

/// <summary>
/// The API reference (docs/api-reference.md), generated from the same types, attributes, rules and XML docs as
/// the CRD: every field with its type, default, constraints and description.
/// </summary>
public static class ApiReference
{
    private const string KubernetesApiDocs = "https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.32/";

    /// <summary>The reference as Markdown, exactly as checked in at docs/api-reference.md.</summary>
    public static string ToMarkdown()
    {
        var docs = XmlDocumentation.Load();
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"""
            # InferenceService API reference

            <!-- Generated from operator/Serval.Api by `serval-operator crds --api-reference`; do not edit. -->

            `apiVersion: {InferenceService.ApiVersionString}`, `kind: {InferenceService.KubeKind}`: namespaced; plural
            `{InferenceService.KubePluralName}`, short name `{InferenceService.KubeShortName}`, category `{InferenceService.KubeCategory}`
            (`kubectl get {InferenceService.KubeCategory}`). The CRD is `crds/serving.serval.dev_inferenceservices.yaml`.

            Defaults are applied by the operator when it reads the object; they are never written into it, so the
            stored spec stays exactly what Git holds. The API server refuses an invalid object with the messages below
            (schema checks first; the cross-field rules run once those pass). The status subresource is enabled; there
            is no scale subresource, because each revision has its own Deployment and HorizontalPodAutoscaler: change
            capacity with `autoscaling.minReplicas` and `maxReplicas`.

            ## Printer columns

            | Column | Type | JSONPath | Description |
            | --- | --- | --- | --- |

            """);
        foreach (var column in PrinterColumns.All)
        {
            var wide = column.Priority is > 0 ? " (with `-o wide`)" : string.Empty;
            md.Append(CultureInfo.InvariantCulture, $"| {column.Name} | {column.Type} | `{Cell(column.JsonPath)}` | {column.Description}{wide} |\n");
        }

        foreach (var type in ReachableTypes(typeof(InferenceService)))
        {
            AppendType(md, docs, type);
        }

        return md.ToString();
    }

    private static void AppendType(StringBuilder md, XmlDocumentation docs, Type type)
    {
        md.Append(CultureInfo.InvariantCulture, $"\n## {type.Name}\n\n{Text(docs.Summary(type, markdown: true) ?? string.Empty)}\n\n");
        md.Append("| Field | Type | Default | Constraints | Description |\n| --- | --- | --- | --- | --- |\n");
        foreach (var (name, property) in ApiTypes.Properties(type))
        {
            var c = FieldConstraints.Of(type, property, name);
            var defaultText = c.Default is null ? string.Empty : c.Default.Literal ? $"`{DefaultText.Of(c.Default)}`" : DefaultText.Of(c.Default);
            md.Append(CultureInfo.InvariantCulture,
                $"| `{name}` | {TypeText(property.PropertyType)} | {Cell(defaultText)} | {Cell(Constraints(c))} | {Cell(docs.Summary(property, markdown: true) ?? string.Empty)} |\n");
        }

        var rules = TypeRules.For(type);
        if (rules.Count > 0)
        {
            md.Append("\nRules:\n\n");
            foreach (var rule in rules)
            {
                var field = rule.FieldPath is null ? string.Empty : $"`{rule.FieldPath.TrimStart('.')}`: ";
                md.Append(CultureInfo.InvariantCulture, $"- {field}{Text(rule.Message)}. CEL: `{rule.Rule}`\n");
            }
        }
    }

    private static List<Type> ReachableTypes(Type root)
    {
        var result = new List<Type>();
        var queue = new Queue<Type>([root]);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (result.Contains(type))
            {
                continue;
            }

            result.Add(type);
            foreach (var (_, property) in ApiTypes.Properties(type))
            {
                var t = ApiTypes.ShapeOf(property.PropertyType) is FieldShape.List or FieldShape.Map
                    ? ApiTypes.ElementType(property.PropertyType)
                    : property.PropertyType;
                if (ApiTypes.IsServalType(t) && ApiTypes.ShapeOf(t) == FieldShape.Object)
                {
                    queue.Enqueue(t);
                }
            }
        }

        return result;
    }

    private static string TypeText(Type type) => ApiTypes.ShapeOf(type) switch
    {
        FieldShape.String => "string",
        FieldShape.Integer => "integer (int32)",
        FieldShape.Long => "integer (int64)",
        FieldShape.Number => "number",
        FieldShape.Boolean => "boolean",
        FieldShape.DateTime => "string (date-time)",
        FieldShape.Bytes => "string (base64)",
        FieldShape.Quantity => "quantity (integer or string)",
        FieldShape.IntOrString => "integer or string",
        FieldShape.List => "[]" + TypeText(ApiTypes.ElementType(type)),
        FieldShape.Map => "map[string]" + TypeText(ApiTypes.ElementType(type)),
        _ => Link(type),
    };

    private static string Link(Type type)
    {
        if (ApiTypes.IsServalType(type))
        {
            return $"[{type.Name}](#{type.Name.ToLowerInvariant()})";
        }

        // KubernetesClient names models V1Toleration, Corev1ResourceClaim; the reference anchors are toleration-v1-core.
        var name = type.Name.StartsWith("Corev1", StringComparison.Ordinal) ? type.Name[6..] : type.Name[2..];
        var group = type == typeof(V1Condition) || type == typeof(V1ObjectMeta) || type == typeof(V1LabelSelector) ? "meta" : "core";
        return $"[{name}]({KubernetesApiDocs}#{name.ToLowerInvariant()}-v1-{group})";
    }

    private static string Constraints(FieldConstraints c)
    {
        var parts = new List<string>();
        if (c.Required)
        {
            parts.Add("required");
        }

        parts.AddRange(Scalar(c, string.Empty));
        if (c.MinItems is { } min && c.MaxItems is { } max)
        {
            parts.Add($"{min}–{max} items");
        }
        else if (c.MaxItems is { } most)
        {
            parts.Add($"at most {most} items");
        }

        if (c.ListType is { } listType)
        {
            parts.Add(c.MapKeys is null ? $"list type {listType}" : $"list type map, keyed by {string.Join(" and ", c.MapKeys.Select(k => $"`{k}`"))}");
        }

        if (c.Items is { } items)
        {
            parts.AddRange(Scalar(items, "each "));
        }

        return string.Join("; ", parts);
    }

    private static IEnumerable<string> Scalar(FieldConstraints c, string prefix)
    {
        if (c.Minimum is { } min)
        {
            yield return $"{prefix}{(c.ExclusiveMinimum ? ">" : "≥")} {NumberText(min)}";
        }

        if (c.Maximum is { } max)
        {
            yield return $"{prefix}≤ {NumberText(max)}";
        }

        if (c.MinLength is { } minLength)
        {
            yield return $"{prefix}at least {minLength} characters";
        }

        if (c.MaxLength is { } maxLength)
        {
            yield return $"{prefix}at most {maxLength} characters";
        }

        if (c.Pattern is { } pattern)
        {
            yield return $"{prefix}matches `{pattern}`";
        }

        if (c.Enum is { } values)
        {
            yield return $"{prefix}one of {string.Join(", ", values.Select(v => $"`{v}`"))}";
        }
    }

    private static string NumberText(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture).Replace(",", " ", StringComparison.Ordinal);

    private static string Cell(string text) => Text(text).Replace("|", "\\|", StringComparison.Ordinal);

    // Outside code spans, Markdown would read <name> as an HTML tag and hide it.
    private static string Text(string text)
    {
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = parts[i].Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        }

        return string.Join('`', parts);
    }
}
