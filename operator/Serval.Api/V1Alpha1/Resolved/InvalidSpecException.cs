using Serval.Api.Schema;

namespace Serval.Api.V1Alpha1;

/// <summary>An InferenceService could not be resolved because it is invalid. The message lists every problem.</summary>
public sealed class InvalidSpecException : Exception
{
    /// <summary>Creates the exception from the validation errors.</summary>
    /// <param name="errors">Every problem found; at least one.</param>
    public InvalidSpecException(IReadOnlyList<ValidationError> errors)
        : base("invalid InferenceService: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InvalidSpecException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public InvalidSpecException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }
}
