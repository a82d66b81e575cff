using System.Globalization;

namespace Serval.Api.Schema;

/// <summary>
/// One problem with an object: the field path (<c>spec.autoscaling.minReplicas</c>), what kind of problem, the
/// offending value (null where there is none, or where a rule judges a whole object) and the detail.
/// <see cref="ToString"/> words it as the API server does (<c>spec.x: Invalid value: 0: detail</c>).
/// </summary>
/// <param name="Field">The field path, as the API server prints it.</param>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Value">The offending value, or null.</param>
/// <param name="Message">The detail: what is wrong and what is allowed.</param>
public sealed record ValidationError(string Field, ValidationErrorKind Kind, object? Value, string Message)
{
    /// <summary>The whole line, as the API server words a field error.</summary>
    public override string ToString()
    {
        var head = Kind switch
        {
            ValidationErrorKind.Required => "Required value",
            ValidationErrorKind.Invalid => "Invalid value: " + Format(Value),
            ValidationErrorKind.NotSupported => "Unsupported value: " + Format(Value),
            ValidationErrorKind.TooLong => "Too long",
            ValidationErrorKind.TooMany => "Too many: " + Format(Value),
            ValidationErrorKind.Forbidden => "Forbidden",
            ValidationErrorKind.Duplicate => "Duplicate value: " + Format(Value),
            _ => Kind.ToString(),
        };
        return Message.Length == 0 ? $"{Field}: {head}" : $"{Field}: {head}: {Message}";
    }

    // Rules that judge a whole object print its type, as the API server does.
    private static string Format(object? value) => value switch
    {
        null => "\"object\"",
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "\"object\"",
    };
}
