namespace Serval.Api.Schema;

/// <summary>
/// A cross-field rule, written once in two languages side by side: <see cref="Rule"/> is the CEL expression the API
/// server evaluates (it becomes an <c>x-kubernetes-validations</c> entry on the type's schema) and
/// <see cref="Holds"/> is the same rule in C#, which <see cref="V1Alpha1.InferenceService.Validate"/> runs.
/// Tests run both over the invalid samples, so the two cannot drift apart unnoticed.
/// </summary>
/// <typeparam name="T">The type whose schema node carries the rule (CEL's <c>self</c>).</typeparam>
/// <param name="Rule">The CEL expression; true means valid.</param>
/// <param name="Message">What is wrong and how to fix it, for the user.</param>
/// <param name="Holds">The same rule in C#; true means valid.</param>
public sealed record ValidationRule<T>(string Rule, string Message, Func<T, bool> Holds) : IValidationRule
{
    /// <summary>
    /// The field the error is reported against, relative to the type (<c>.minReplicas</c>); null reports it
    /// against the object itself.
    /// </summary>
    public string? FieldPath { get; init; }

    /// <summary>The kind of error: Invalid (the default), Required, Forbidden or Duplicate.</summary>
    public ValidationErrorKind Kind { get; init; } = ValidationErrorKind.Invalid;

    /// <inheritdoc />
    bool IValidationRule.Holds(object self) => Holds((T)self);
}
