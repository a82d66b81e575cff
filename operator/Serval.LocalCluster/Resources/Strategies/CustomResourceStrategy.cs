using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Resources.Strategies;

/// <summary>
/// Admission of a custom resource against its CRD version's structural schema, in kube-apiserver's order:
/// prune unknown fields (refused under fieldValidation=Strict, warned under Warn), apply defaults, then validate
/// OpenAPI constraints and CEL rules (422 Invalid with one cause per field).
/// </summary>
internal sealed class CustomResourceStrategy(StructuralSchema? schema) : IResourceStrategy
{
    public IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, JsonObject? old, AdmissionOptions options)
    {
        if (schema is null)
        {
            return [];
        }

        var pruned = schema.Prune(obj);
        var warnings = new List<string>();
        if (pruned.Count > 0)
        {
            switch (options.FieldValidation)
            {
                case FieldValidation.Strict:
                    throw ApiException.BadRequest(
                        $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: "
                        + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
                case FieldValidation.Warn:
                    warnings.AddRange(pruned.Select(p => $"unknown field \"{p}\""));
                    break;
                case FieldValidation.Ignore:
                    break;
            }
        }

        schema.ApplyDefaults(obj);
        var errors = schema.Validate(obj, old);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, obj.StringAtPath("metadata", "name") ?? string.Empty,
                errors.Select(e => new StatusCause(e.Reason, e.Message, e.Field)).ToList());
        }

        return warnings;
    }
}
