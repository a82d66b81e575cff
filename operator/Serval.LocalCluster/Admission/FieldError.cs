namespace Serval.LocalCluster.Admission;

/// <summary>
/// One refused field, worded as kube-apiserver words it: <see cref="Field"/> is the path
/// (<c>spec.autoscaling.minReplicas</c>, <c>&lt;nil&gt;</c> for the object itself) and <see cref="Message"/>
/// the body without the path (<c>Invalid value: 0: spec.autoscaling.minReplicas in body should be greater than or equal to 1</c>).
/// </summary>
/// <param name="Field">The field path.</param>
/// <param name="Type">The kind of error.</param>
/// <param name="Message">The message body, without the field path.</param>
/// <param name="BadValue">The offending value as the message prints it, or null where the message prints none.</param>
public sealed record FieldError(string Field, FieldErrorType Type, string Message, string? BadValue)
{
    /// <summary>The status cause type, as in a Kubernetes <c>Status.details.causes[].reason</c>.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        _ => throw new InvalidOperationException($"unknown field error type {Type}"),
    };

    /// <summary>The whole line, <c>field: message</c>, as in the API server's aggregated error.</summary>
    public override string ToString() => $"{Field}: {Message}";
}
