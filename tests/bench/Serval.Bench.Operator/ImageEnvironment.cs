namespace Serval.Bench.Operator;

/// <summary>
/// The environment operator/Dockerfile gives the operator: the <c>ENV</c> lines of its last stage, so that the
/// benchmark measures the operator as its image runs it (on a cluster, the image is what runs).
/// </summary>
internal static class ImageEnvironment
{
    public static IReadOnlyDictionary<string, string> Read()
    {
        var dockerfile = Path.Combine(RepositoryRoot(), "operator", "Dockerfile");
        var stages = new List<Dictionary<string, string>>();
        foreach (var raw in File.ReadAllLines(dockerfile))
        {
            var line = raw.Trim();
            if (line.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))
            {
                stages.Add(new Dictionary<string, string>(StringComparer.Ordinal));
            }
            else if (line.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase) && stages.Count > 0)
            {
                foreach (var pair in line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0 || pair.Contains('"', StringComparison.Ordinal) || line.EndsWith('\\'))
                    {
                        throw new FormatException($"{dockerfile}: only plain 'ENV KEY=value ...' lines are read, not '{line}'");
                    }

                    stages[^1][pair[..equals]] = pair[(equals + 1)..];
                }
            }
        }

        return stages.Count > 0 ? stages[^1] : throw new FormatException($"{dockerfile} has no FROM line");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}: run the benchmark from the repository");
    }
}
