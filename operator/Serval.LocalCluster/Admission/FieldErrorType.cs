namespace Serval.LocalCluster.Admission;

/// <summary>The kinds of field error the Kubernetes API server reports (its <c>field.ErrorType</c>).</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    TypeInvalid,
    TooLong,
    TooMany,
    Forbidden,
    Duplicate,
}
