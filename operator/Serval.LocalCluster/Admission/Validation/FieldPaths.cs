using System.Globalization;

namespace Serval.LocalCluster.Admission.Validation;

/// <summary>
/// Field paths as the API server prints them. Schema (OpenAPI) errors name map entries with a dot
/// (<c>spec.labels.app</c>); CEL and list-type errors use Kubernetes' field.Path (<c>spec.labels[app]</c>).
/// The empty path is the object itself, printed <c>&lt;nil&gt;</c>.
/// </summary>
internal static class FieldPaths
{
    public const string RootDisplay = "<nil>";

    public static string Child(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Key(string parent, string key) => parent + "[" + key + "]";

    public static string Display(string path) => path.Length == 0 ? RootDisplay : path;
}
