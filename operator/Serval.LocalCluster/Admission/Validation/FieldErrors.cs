using System.Globalization;

namespace Serval.LocalCluster.Admission.Validation;

/// <summary>Builds <see cref="FieldError"/>s worded as Kubernetes' <c>field</c> package words them.</summary>
internal static class FieldErrors
{
    public static FieldError Required(string path, string detail = "") =>
        Make(path, FieldErrorType.Required, "Required value", null, detail);

    public static FieldError Forbidden(string path, string detail) =>
        Make(path, FieldErrorType.Forbidden, "Forbidden", null, detail);

    public static FieldError Invalid(string path, object? value, string detail) =>
        Make(path, FieldErrorType.Invalid, "Invalid value", GoFormat.Value(value), detail);

    public static FieldError TypeInvalid(string path, object? value, string detail) =>
        Make(path, FieldErrorType.TypeInvalid, "Invalid value", GoFormat.Value(value), detail);

    public static FieldError NotSupported(string path, object? value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count == 0 ? string.Empty : "supported values: " + string.Join(", ", quoted);
        return Make(path, FieldErrorType.NotSupported, "Unsupported value", GoFormat.Value(value), detail);
    }

    /// <summary>The value itself is never printed for a too-long field (it may be huge).</summary>
    public static FieldError TooLong(string path, long maxLength) =>
        Make(path, FieldErrorType.TooLong, "Too long", null,
            string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} bytes"));

    public static FieldError TooMany(string path, long actual, long max) =>
        Make(path, FieldErrorType.TooMany, "Too many", actual.ToString(CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"must have at most {max} items"));

    public static FieldError Duplicate(string path, object? value) =>
        Make(path, FieldErrorType.Duplicate, "Duplicate value", GoFormat.Value(value), string.Empty);

    private static FieldError Make(string path, FieldErrorType type, string title, string? value, string detail)
    {
        var message = value is null ? title : title + ": " + value;
        if (detail.Length > 0)
        {
            message += ": " + detail;
        }

        return new FieldError(FieldPaths.Display(path), type, message, value);
    }
}
