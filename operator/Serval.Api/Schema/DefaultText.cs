using System.Collections;
using System.Globalization;

namespace Serval.Api.Schema;

/// <summary>Writes a default the way a user would type it in YAML.</summary>
internal static class DefaultText
{
    public static string Of(DefaultAttribute attribute) => attribute.Literal ? Value(attribute.Value) : (string)attribute.Value;

    /// <summary>The sentence appended to a description.</summary>
    public static string Sentence(DefaultAttribute attribute) => $"Defaults to {Of(attribute)}.";

    private static string Value(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => "[" + string.Join(", ", list.Cast<object>().Select(Value)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
