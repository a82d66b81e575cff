using System.Reflection;

namespace Serval.Api.Schema;

/// <summary>
/// The value the operator uses when the field is absent. Documentation only: it goes into the description and the
/// API reference, never into the schema's <c>default</c>, because the API server would then write it into the stored
/// object and Git would no longer own the spec. Point it at the same constant the resolver reads.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute : Attribute
{
    /// <summary>A default given as a constant.</summary>
    /// <param name="value">The default.</param>
    public DefaultAttribute(object value)
    {
        Value = value;
    }

    /// <summary>A default that is not a compile-time constant (a list): a public static property of <paramref name="holder"/>.</summary>
    /// <param name="holder">The type declaring the property.</param>
    /// <param name="property">The property's name.</param>
    public DefaultAttribute(Type holder, string property)
    {
        ArgumentNullException.ThrowIfNull(holder);
        Value = holder.GetProperty(property, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? throw new ArgumentException($"{holder.Name} has no public static property {property}", nameof(property));
    }

    /// <summary>The default.</summary>
    public object Value { get; }

    /// <summary>False when <see cref="Value"/> is a description ("the InferenceService's name") rather than a value.</summary>
    public bool Literal { get; init; } = true;
}
