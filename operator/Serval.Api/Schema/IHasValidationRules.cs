namespace Serval.Api.Schema;

/// <summary>A type whose schema node carries cross-field rules.</summary>
/// <typeparam name="TSelf">The type itself.</typeparam>
public interface IHasValidationRules<TSelf>
{
    /// <summary>The rules, in the order they are reported.</summary>
    static abstract IReadOnlyList<ValidationRule<TSelf>> ValidationRules { get; }
}
