using System.Text.Json.Nodes;
using Serval.LocalCluster.Admission.Cel;
using Serval.LocalCluster.Admission.Defaulting;
using Serval.LocalCluster.Admission.Pruning;
using Serval.LocalCluster.Admission.Schema;
using Serval.LocalCluster.Admission.Validation;

namespace Serval.LocalCluster.Admission;

/// <summary>
/// A CustomResourceDefinition's <c>openAPIV3Schema</c>, compiled once, that admits custom resources as
/// kube-apiserver does: defaulting, pruning of unknown fields, OpenAPI validation and CEL
/// <c>x-kubernetes-validations</c> rules (transition rules included), with the API server's field paths and messages.
/// Instances are immutable and safe to share between concurrent requests.
/// </summary>
public sealed class StructuralSchema
{
    private const string BlockedRulesMessage =
        "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private readonly SchemaNode _root;

    private StructuralSchema(SchemaNode root)
    {
        _root = root;
    }

    /// <summary>Whether any node of the schema carries a CEL rule.</summary>
    public bool HasValidationRules => _root.HasRulesInSubtree;

    /// <summary>
    /// Compiles a schema: checks that it is structural and compiles every CEL rule and messageExpression.
    /// </summary>
    /// <exception cref="SchemaCompileException">The schema is not structural or a rule does not compile; the exception names each path.</exception>
    public static StructuralSchema Compile(JsonNode openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var parser = new SchemaParser(new CelRuleCompiler());
        return new StructuralSchema(parser.ParseRoot(openApiV3Schema));
    }

    /// <summary>
    /// Validates an object (after defaulting and pruning, as the API server orders it) against the schema and its
    /// CEL rules. Rules reading <c>oldSelf</c> run only when <paramref name="oldObj"/> is given (an update) and the old
    /// value of their node exists. As in Kubernetes, rules are skipped when the object already has type, required,
    /// enum, length or count errors, and one error says so.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(JsonNode obj, JsonNode? oldObj = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var errors = new List<FieldError>();
        OpenApiValidator.Validate(_root, obj, isRoot: true, errors);
        if (!_root.HasRulesInSubtree)
        {
            return errors;
        }

        if (errors.Exists(IsBlocking))
        {
            errors.Add(FieldErrors.Invalid(string.Empty, null, BlockedRulesMessage));
            return errors;
        }

        new CelRuleEvaluator(_root, errors).Evaluate(obj, oldObj, hasOld: oldObj is not null);
        return errors;
    }

    /// <summary>Applies the schema's defaults in place, including inside nested objects, list items and map values.</summary>
    public void ApplyDefaults(JsonNode obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Defaulter.Apply(_root, obj, isRoot: true);
    }

    /// <summary>Drops, in place, every field the schema does not know; returns their paths (<c>spec.foo</c>).</summary>
    public IReadOnlyList<string> Prune(JsonNode obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Pruner.Prune(_root, obj, isRoot: true);
    }

    private static bool IsBlocking(FieldError error) =>
        error.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong
            or FieldErrorType.TooMany or FieldErrorType.TypeInvalid;
}
