using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serval.LocalCluster.Admission;
using YamlDotNet.RepresentationModel;

namespace Serval.LocalCluster.Tests.Admission;

/// <summary>YAML (and so JSON) text to JsonNode, with YAML 1.2 core-schema scalars, for inline test schemas.</summary>
internal static partial class TestYaml
{
    public static JsonNode Parse(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return ToNode(stream.Documents[0].RootNode) ?? throw new ArgumentException("empty document", nameof(yaml));
    }

    public static JsonObject Object(string yaml) => (JsonObject)Parse(yaml);

    public static StructuralSchema Compile(string yaml) => StructuralSchema.Compile(Parse(yaml));

    public static string File(string name) =>
        System.IO.File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Admission", "testdata", name));

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? string.Empty, ToNode(p.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToNode)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new ArgumentException($"unsupported YAML node {node.NodeType}", nameof(node)),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "null" or "~" or "")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
