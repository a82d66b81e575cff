using System.Text.RegularExpressions;
using Serval.Packaging.Tests.Support;

namespace Serval.Packaging.Tests.Image;

/// <summary>operator/Dockerfile read as a build recipe: its stages, their instructions, continuation lines joined.</summary>
internal static partial class Dockerfile
{
    public static readonly string FilePath = Repository.Path("operator", "Dockerfile");

    [GeneratedRegex(@"^FROM\s+\S+(?:\s+AS\s+(\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex From();

    public static Dictionary<string, List<string>> Stages()
    {
        var stages = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        var logical = "";
        foreach (var raw in File.ReadAllLines(FilePath))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') && logical.Length == 0)
            {
                continue;
            }

            logical += line.TrimEnd('\\').Trim() + " ";
            if (line.EndsWith('\\'))
            {
                continue;
            }

            var instruction = logical.Trim();
            logical = "";
            if (instruction.Length == 0)
            {
                continue;
            }

            var from = From().Match(instruction);
            if (from.Success)
            {
                current = [instruction];
                stages[from.Groups[1].Success ? from.Groups[1].Value : $"stage{stages.Count}"] = current;
            }
            else
            {
                current?.Add(instruction);
            }
        }

        return stages;
    }

    /// <summary>Copies what the build stage's COPY lines copy (less the .dockerignore's folders) into <paramref name="context"/>.</summary>
    public static void PrepareContext(string context)
    {
        var ignored = File.ReadAllLines(Repository.Path("operator", "Dockerfile.dockerignore"))
            .Where(l => l.StartsWith("**/", StringComparison.Ordinal))
            .Select(l => l[3..].TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var copy in Stages()["build"].Where(i => i.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var destination = parts[^1];
            foreach (var source in parts[..^1])
            {
                var from = Repository.Path(source.TrimEnd('/'));
                var to = destination == "./"
                    ? Path.Combine(context, Path.GetFileName(source.TrimEnd('/')))
                    : Path.Combine(context, destination.TrimEnd('/'));
                CopyTree(from, to, ignored);
            }
        }
    }

    private static void CopyTree(string from, string to, HashSet<string> ignored)
    {
        if (File.Exists(from))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            return;
        }

        Assert.That(Directory.Exists(from), Is.True, $"the Dockerfile copies {from}, which does not exist");
        Directory.CreateDirectory(to);
        foreach (var entry in Directory.EnumerateFileSystemEntries(from))
        {
            if (!ignored.Contains(Path.GetFileName(entry)))
            {
                CopyTree(entry, Path.Combine(to, Path.GetFileName(entry)), ignored);
            }
        }
    }
}
