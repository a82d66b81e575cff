using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Serval.Api.Schema;

/// <summary>
/// The XML documentation the compiler writes next to Serval.Api.dll: every type's and property's summary, which
/// becomes the CRD's descriptions and the API reference. Read at run time so that the docs cannot drift from the
/// code they sit on.
/// </summary>
internal sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocumentation(Dictionary<string, XElement> members)
    {
        _members = members;
    }

    /// <summary>Loads Serval.Api.xml from beside the assembly.</summary>
    /// <exception cref="FileNotFoundException">The file is missing (it ships with every build and publish of Serval.Api).</exception>
    public static XmlDocumentation Load()
    {
        var assembly = typeof(XmlDocumentation).Assembly;
        // Single-file apps have no assembly location; their side files sit in the base directory.
        var path = assembly.Location.Length > 0
            ? Path.ChangeExtension(assembly.Location, ".xml")
            : Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"the API documentation file {path} is missing; it is generated with Serval.Api.dll (GenerateDocumentationFile) and must ship beside it", path);
        }

        var members = XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => m, StringComparer.Ordinal);
        return new XmlDocumentation(members);
    }

    /// <summary>The summary of a type, or null when it has none (Kubernetes models).</summary>
    public string? Summary(Type type, bool markdown) => Render("T:" + type.FullName, markdown);

    /// <summary>The summary of a property, or null when it has none (Kubernetes models).</summary>
    public string? Summary(PropertyInfo property, bool markdown) =>
        Render("P:" + property.DeclaringType!.FullName + "." + property.Name, markdown);

    private string? Render(string id, bool markdown)
    {
        if (!_members.TryGetValue(id, out var member) || member.Element("summary") is not { } summary)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            Append(text, node, markdown);
        }

        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static void Append(StringBuilder text, XNode node, bool markdown)
    {
        switch (node)
        {
            case XText t:
                text.Append(t.Value);
                break;
            case XElement { Name.LocalName: "c" } c:
                text.Append(markdown ? "`" + c.Value + "`" : c.Value);
                break;
            case XElement { Name.LocalName: "see" } see:
                var target = see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? see.Value;
                var name = target[(target.LastIndexOfAny([':', '.']) + 1)..];
                text.Append(markdown ? "`" + name + "`" : name);
                break;
            case XElement e:
                foreach (var child in e.Nodes())
                {
                    Append(text, child, markdown);
                }

                break;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
