using System.Globalization;
using System.Text.Json;

namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>
/// Compares two V2 infer responses output by output: the same outputs by name, the same datatype and shape, and
/// every value within the tolerance (numbers) or equal (strings and booleans).
/// </summary>
internal static class SmokeTestComparer
{
    /// <summary>The first difference, for people, or null when the responses agree.</summary>
    /// <param name="expected">The stable revision's response.</param>
    /// <param name="actual">The new revision's response.</param>
    /// <param name="tolerance">The largest absolute difference allowed between two numbers.</param>
    public static string? FirstMismatch(JsonElement expected, JsonElement actual, double tolerance)
    {
        var want = Outputs(expected);
        var got = Outputs(actual);
        if (want is null)
        {
            return "the stable revision's response has no outputs";
        }

        if (got is null)
        {
            return "the response has no outputs";
        }

        foreach (var (name, output) in want)
        {
            if (!got.TryGetValue(name, out var other))
            {
                return $"output {name} is missing";
            }

            var datatype = Text(output, "datatype");
            if (datatype != Text(other, "datatype"))
            {
                return $"output {name} has datatype {Text(other, "datatype")}, expected {datatype}";
            }

            var shape = Raw(output, "shape");
            if (shape != Raw(other, "shape"))
            {
                return $"output {name} has shape {Raw(other, "shape")}, expected {shape}";
            }

            if (!output.TryGetProperty("data", out var wantData) || !other.TryGetProperty("data", out var gotData))
            {
                return $"output {name} has no JSON data to compare (ask for JSON outputs in the smoke-test request)";
            }

            var wantValues = Flatten(wantData);
            var gotValues = Flatten(gotData);
            if (wantValues.Count != gotValues.Count)
            {
                return $"output {name} has {gotValues.Count} values, expected {wantValues.Count}";
            }

            for (var i = 0; i < wantValues.Count; i++)
            {
                if (!Agree(wantValues[i], gotValues[i], tolerance))
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"output {name} value [{i}] is {Show(gotValues[i])}, expected {Show(wantValues[i])} (tolerance {tolerance})");
                }
            }
        }

        var extra = got.Keys.Except(want.Keys, StringComparer.Ordinal).FirstOrDefault();
        return extra is null ? null : $"output {extra} is not in the stable revision's response";
    }

    private static Dictionary<string, JsonElement>? Outputs(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object
            || !response.TryGetProperty("outputs", out var outputs)
            || outputs.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var output in outputs.EnumerateArray())
        {
            byName[Text(output, "name") ?? string.Empty] = output;
        }

        return byName;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Raw(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal) : "none";

    private static List<JsonElement> Flatten(JsonElement data)
    {
        var values = new List<JsonElement>();
        Add(data);
        return values;

        void Add(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Add(item);
                }
            }
            else
            {
                values.Add(element);
            }
        }
    }

    private static bool Agree(JsonElement want, JsonElement got, double tolerance)
    {
        if (want.ValueKind == JsonValueKind.Number && got.ValueKind == JsonValueKind.Number)
        {
            var difference = Math.Abs(want.GetDouble() - got.GetDouble());
            return difference <= tolerance;
        }

        return want.ValueKind == got.ValueKind && want.GetRawText() == got.GetRawText();
    }

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.Number
        ? Math.Round(value.GetDouble(), 4).ToString("0.####", CultureInfo.InvariantCulture)
        : value.GetRawText();
}
