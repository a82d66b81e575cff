using Serval.Api.Crd;

namespace Serval.Operator.Commands;

/// <summary>
/// <c>serval-operator crds</c> prints the InferenceService CRD as YAML; <c>crds --api-reference</c> prints the
/// Markdown API reference generated from the same types.
/// </summary>
internal static class CrdsCommand
{
    public const string Usage = "usage: serval-operator crds [--api-reference]";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        switch (args)
        {
            case []:
                stdout.Write(InferenceServiceCrd.ToYaml());
                return 0;
            case ["--api-reference"]:
                stdout.Write(ApiReference.ToMarkdown());
                return 0;
            case ["--help" or "-h"]:
                stdout.WriteLine(Usage);
                return 0;
            default:
                stderr.WriteLine($"serval-operator crds: unknown argument \"{string.Join(' ', args)}\"\n{Usage}");
                return 2;
        }
    }
}
