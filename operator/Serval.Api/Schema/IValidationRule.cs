namespace Serval.Api.Schema;

/// <summary>A <see cref="ValidationRule{T}"/> seen without its type, for the schema generator and the validator.</summary>
public interface IValidationRule
{
    /// <summary>The CEL expression; true means valid.</summary>
    string Rule { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    string Message { get; }

    /// <summary>The field the error is reported against, relative to the type, or null for the object itself.</summary>
    string? FieldPath { get; }

    /// <summary>The kind of error reported.</summary>
    ValidationErrorKind Kind { get; }

    /// <summary>Runs the C# form of the rule on an object of the rule's type.</summary>
    bool Holds(object self);
}
