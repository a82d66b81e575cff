namespace Serval.LocalCluster.Admission.Cel;

/// <summary>
/// One compiled <c>x-kubernetes-validations</c> entry: the rule, its message (static or an expression),
/// the field it reports against and the reason it reports with.
/// </summary>
internal sealed record CelRule(
    CompiledExpression Rule,
    string? Message,
    CompiledExpression? MessageExpression,
    string? FieldPath,
    FieldErrorType Reason)
{
    /// <summary>Rules that read oldSelf only run on update, and only where the old value can be found.</summary>
    public bool IsTransitionRule => Rule.UsesOldSelf;

    /// <summary>The rule as error messages quote it (its message when it has one, else its text).</summary>
    public string ErrorString => string.IsNullOrWhiteSpace(Message) ? Rule.Source.Trim() : Message.Trim();

    /// <summary>The message reported when the rule does not hold and no messageExpression says otherwise.</summary>
    public string DefaultMessage => string.IsNullOrWhiteSpace(Message) ? "failed rule: " + Rule.Source.Trim() : Message.Trim();
}
