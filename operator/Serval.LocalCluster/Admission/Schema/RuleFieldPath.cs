namespace Serval.LocalCluster.Admission.Schema;

/// <summary>
/// Reads a rule's <c>fieldPath</c> (<c>.spec.replicas</c>, <c>.labels['app.kubernetes.io/name']</c>) and checks that it
/// names a field below the rule's node, as apiextensions does. Returns the path errors are reported at.
/// </summary>
internal static class RuleFieldPath
{
    public static string? Normalize(string text, SchemaNode node, out string error)
    {
        error = string.Empty;
        var segments = new List<string>();
        var current = node;
        var i = 0;
        while (i < text.Length)
        {
            string segment;
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is not ('.' or '['))
                {
                    end++;
                }

                segment = text[(i + 1)..end];
                i = end;
            }
            else if (text.AsSpan(i).StartsWith("['") && text.IndexOf("']", i + 2, StringComparison.Ordinal) is var close and > 0)
            {
                segment = text[(i + 2)..close];
                i = close + 2;
            }
            else
            {
                error = $"fieldPath must be a valid path: expected '.' or \"['\" at position {i}";
                return null;
            }

            if (segment.Length == 0)
            {
                error = "fieldPath must be a valid path: empty field name";
                return null;
            }

            if (current is not null)
            {
                var next = current.ChildSchema(segment);
                if (next is null && !current.PreserveUnknownFields && !current.AdditionalPropertiesAny)
                {
                    error = $"fieldPath must be a valid path: field '{segment}' does not exist in the schema";
                    return null;
                }

                current = next;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            error = "fieldPath must be a valid path: it names no field";
            return null;
        }

        return string.Join('.', segments);
    }
}
