using System.Globalization;
using System.Text;

namespace Serval.SampleModels;

/// <summary>The V2 infer requests shipped as samples/requests/&lt;model&gt;.json.</summary>
public static class SampleRequests
{
    /// <summary>Rows in every sample request.</summary>
    public const int Rows = 2;

    /// <summary>
    /// The input rows of the sample request, row-major [2, 16]: multiples of 1/8 in [-1, 1], so they
    /// print and parse exactly.
    /// </summary>
    public static float[] Input()
    {
        var values = new float[Rows * MlpWeights.InputSize];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (((i * 7) + 3) % 17 - 8) / 8f;
        }

        return values;
    }

    /// <summary>The JSON body of the sample request for a model (indented, ending in a newline).</summary>
    public static string Json(string modelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var input = Input();
        var json = new StringBuilder();
        json.Append("{\n");
        json.Append(CultureInfo.InvariantCulture, $"  \"id\": \"{modelName}-sample\",\n");
        json.Append("  \"inputs\": [\n    {\n");
        json.Append(CultureInfo.InvariantCulture, $"      \"name\": \"{SampleModels.InputName}\",\n");
        json.Append(CultureInfo.InvariantCulture, $"      \"shape\": [{Rows}, {MlpWeights.InputSize}],\n");
        json.Append("      \"datatype\": \"FP32\",\n");
        json.Append("      \"data\": [\n");
        for (var row = 0; row < Rows; row++)
        {
            var cells = input.AsSpan(row * MlpWeights.InputSize, MlpWeights.InputSize).ToArray()
                .Select(v => v.ToString(CultureInfo.InvariantCulture));
            json.Append("        ").Append(string.Join(", ", cells)).Append(row + 1 < Rows ? ",\n" : "\n");
        }

        json.Append("      ]\n    }\n  ],\n");
        json.Append(CultureInfo.InvariantCulture, $"  \"outputs\": [{{\"name\": \"{SampleModels.OutputName}\"}}]\n");
        json.Append("}\n");
        return json.ToString();
    }
}
