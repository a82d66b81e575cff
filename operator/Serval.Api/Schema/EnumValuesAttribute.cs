namespace Serval.Api.Schema;

/// <summary>
/// The string must be one of the names of an enum. The wire type stays a string (as Kubernetes APIs do), so an
/// unknown value is a validation error with the supported values rather than a deserialization failure.
/// </summary>
/// <param name="enumType">The enum whose member names are the allowed values, in declaration order.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumValuesAttribute(Type enumType) : Attribute
{
    /// <summary>The enum whose member names are the allowed values.</summary>
    public Type EnumType { get; } = enumType;

    /// <summary>The allowed values, in declaration order.</summary>
    public IReadOnlyList<string> Values => Enum.GetNames(EnumType);
}
