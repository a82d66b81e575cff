using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using Serval.LocalCluster.Admission.Schema;
using Serval.LocalCluster.Admission.Validation;

namespace Serval.LocalCluster.Admission.Cel;

/// <summary>
/// Runs the <c>x-kubernetes-validations</c> rules over an object (and its old version on update), walking only
/// the parts of the schema that carry rules. Failures and run-time errors become field errors worded as
/// kube-apiserver words them; nothing a rule does escapes as an exception.
/// </summary>
internal sealed partial class CelRuleEvaluator
{
    private readonly SchemaNode _root;
    private readonly CelValueConverter _values;
    private readonly CelValueConverter _oldValues;
    private readonly List<FieldError> _errors;

    public CelRuleEvaluator(SchemaNode root, List<FieldError> errors)
    {
        _root = root;
        _values = new CelValueConverter(root);
        _oldValues = new CelValueConverter(root);
        _errors = errors;
    }

    public void Evaluate(JsonNode? value, JsonNode? oldValue, bool hasOld) =>
        Walk(_root, value, oldValue, hasOld, string.Empty);

    private void Walk(SchemaNode s, JsonNode? value, JsonNode? old, bool hasOld, string path)
    {
        if (value is null || !s.HasRulesInSubtree)
        {
            return;
        }

        foreach (var rule in s.Rules)
        {
            if (rule.IsTransitionRule && (!hasOld || old is null))
            {
                continue;
            }

            EvaluateRule(rule, s, value, old, path);
        }

        switch (value)
        {
            case JsonObject obj:
                WalkObject(s, obj, old as JsonObject, hasOld, path);
                break;
            case JsonArray array when s.Items is { HasRulesInSubtree: true } items:
                var oldItems = hasOld && s.ListType == "map" && old is JsonArray oldArray ? IndexByKey(s.ListMapKeys, oldArray) : null;
                for (var i = 0; i < array.Count; i++)
                {
                    JsonNode? oldItem = null;
                    var found = oldItems is not null && array[i] is JsonObject item
                        && oldItems.TryGetValue(JsonValues.CanonicalKey(ListTypeValidator.KeyOf(s.ListMapKeys, item)), out oldItem);
                    Walk(items, array[i], oldItem, found, FieldPaths.Index(path, i));
                }

                break;
        }
    }

    private void WalkObject(SchemaNode s, JsonObject obj, JsonObject? old, bool hasOld, string path)
    {
        foreach (var (name, child) in s.PropertyList)
        {
            if (!child.HasRulesInSubtree || !obj.TryGetPropertyValue(name, out var value))
            {
                continue;
            }

            JsonNode? oldChild = null;
            var found = hasOld && old is not null && old.TryGetPropertyValue(name, out oldChild);
            Walk(child, value, oldChild, found, FieldPaths.Child(path, name));
        }

        if (s.AdditionalProperties is { HasRulesInSubtree: true } values)
        {
            foreach (var (key, value) in obj)
            {
                if (s.Properties.ContainsKey(key))
                {
                    continue;
                }

                JsonNode? oldChild = null;
                var found = hasOld && old is not null && old.TryGetPropertyValue(key, out oldChild);
                Walk(values, value, oldChild, found, FieldPaths.Key(path, key));
            }
        }
    }

    private static Dictionary<string, JsonNode> IndexByKey(IReadOnlyList<string> keys, JsonArray array)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is JsonObject obj)
            {
                result.TryAdd(JsonValues.CanonicalKey(ListTypeValidator.KeyOf(keys, obj)), obj);
            }
        }

        return result;
    }

    private void EvaluateRule(CelRule rule, SchemaNode s, JsonNode value, JsonNode? old, string path)
    {
        var variables = new Dictionary<string, object?>(2, StringComparer.Ordinal)
        {
            ["self"] = _values.Convert(s, value),
        };
        if (rule.IsTransitionRule)
        {
            variables["oldSelf"] = _oldValues.Convert(s, old);
        }

        object? result;
        try
        {
            result = rule.Rule.Program(variables);
        }
        catch (Exception ex)
        {
            // Whatever the evaluator throws is the rule's error, reported on the object, never a failed request.
            _errors.Add(FieldErrors.Invalid(path, s.TypeForMessages, RuntimeErrorMessage(ex, rule)));
            return;
        }

        if (result is true)
        {
            return;
        }

        if (result is not false)
        {
            _errors.Add(FieldErrors.Invalid(path, s.TypeForMessages, NoSuchOverload(rule)));
            return;
        }

        var errorPath = rule.FieldPath is null ? path : FieldPaths.Child(path, rule.FieldPath);
        var message = EvaluateMessage(rule, variables) ?? rule.DefaultMessage;
        _errors.Add(rule.Reason switch
        {
            FieldErrorType.Required => FieldErrors.Required(errorPath, message),
            FieldErrorType.Forbidden => FieldErrors.Forbidden(errorPath, message),
            FieldErrorType.Duplicate => FieldErrors.Duplicate(errorPath, s.TypeForMessages),
            _ => FieldErrors.Invalid(errorPath, s.TypeForMessages, message),
        });
    }

    // As in Kubernetes, a messageExpression that fails or yields no usable text falls back to the rule's message.
    private static string? EvaluateMessage(CelRule rule, Dictionary<string, object?> variables)
    {
        if (rule.MessageExpression is null)
        {
            return null;
        }

        try
        {
            return rule.MessageExpression.Program(variables) is string { Length: > 0 } text && text.AsSpan().IndexOfAny('\r', '\n') < 0
                ? text
                : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string NoSuchOverload(CelRule rule) =>
        $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}";

    private static string RuntimeErrorMessage(Exception ex, CelRule rule)
    {
        var cause = ex switch
        {
            CelNoSuchFieldException => "no such key: " + FieldName().Match(ex.Message).Groups[1].Value,
            CelTypeDoesNotSupportFieldSelectionException => "no such key: " + MissingMember(ex.Message),
            CelArgumentRangeException when ex.Message.StartsWith("Index", StringComparison.Ordinal) => "index out of bounds",
            CelArgumentRangeException => "no such key",
            CelDivideByZeroException => "division by zero",
            CelModulusByZeroException => "modulus by zero",
            CelOverflowException => "integer overflow",
            CelNoSuchOverloadException or CelUnboundFunctionException => null,
            CelEvaluationException when ex.Message.StartsWith("no such overload", StringComparison.Ordinal) => null,
            _ => ex.Message,
        };
        return cause is null ? NoSuchOverload(rule) : $"{cause} evaluating rule: {rule.ErrorString}";
    }

    private static string MissingMember(string message)
    {
        var member = MemberName().Match(message).Groups[1].Value;
        var dot = member.LastIndexOf('.');
        return dot >= 0 ? member[(dot + 1)..] : member;
    }

    [GeneratedRegex("field '([^']*)'")]
    private static partial Regex FieldName();

    [GeneratedRegex("Type '([^']*)'")]
    private static partial Regex MemberName();
}
