namespace Serval.LocalCluster.Admission;

/// <summary>
/// The schema cannot serve as a CRD's structural schema: it is not structural, or a CEL rule in it does not compile.
/// <see cref="Errors"/> names each offending place (<c>openAPIV3Schema.properties[spec].type</c>).
/// </summary>
public sealed class SchemaCompileException : Exception
{
    public SchemaCompileException()
        : this([])
    {
    }

    public SchemaCompileException(string message)
        : base(message)
    {
        Errors = [];
    }

    public SchemaCompileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public SchemaCompileException(IReadOnlyList<FieldError> errors)
        : base(errors.Count == 0 ? "invalid schema" : string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, each naming its schema path.</summary>
    public IReadOnlyList<FieldError> Errors { get; }
}
