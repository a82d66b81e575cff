namespace Serval.Api.Schema;

/// <summary>The kinds of field error, as the Kubernetes API server names them.</summary>
public enum ValidationErrorKind
{
    /// <summary>A required field is absent ("Required value").</summary>
    Required,

    /// <summary>The value breaks a bound, a pattern or a rule ("Invalid value").</summary>
    Invalid,

    /// <summary>The value is not one of the allowed values ("Unsupported value").</summary>
    NotSupported,

    /// <summary>The string is longer than allowed ("Too long").</summary>
    TooLong,

    /// <summary>The list or map has more items than allowed ("Too many").</summary>
    TooMany,

    /// <summary>The field may not be set in this situation ("Forbidden").</summary>
    Forbidden,

    /// <summary>A set or map list holds the same item twice ("Duplicate value").</summary>
    Duplicate,
}
