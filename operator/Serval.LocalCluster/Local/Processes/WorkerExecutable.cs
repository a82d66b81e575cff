namespace Serval.LocalCluster.Local.Processes;

/// <summary>Finds the built <c>serval-worker</c> executable that local pods run.</summary>
public static class WorkerExecutable
{
    /// <summary>The executable's file name.</summary>
    public const string FileName = "serval-worker";

    private static readonly string[] Configurations = ["Release", "Debug"];

    /// <summary>
    /// <c>serval-worker</c> next to the running program (a published layout), else the newest build under
    /// <c>runtime-image/Serval.Worker/bin/{Release,Debug}/net10.0/</c> of the repository above it; null when neither exists.
    /// </summary>
    public static string? Locate(string? baseDirectory = null)
    {
        var start = baseDirectory ?? AppContext.BaseDirectory;
        // The apphost alone is not enough (a build may copy it without its assembly).
        var beside = Path.Combine(start, FileName);
        if (File.Exists(beside) && File.Exists(beside + ".dll"))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "runtime-image", "Serval.Worker", "bin");
            if (!Directory.Exists(bin))
            {
                continue;
            }

            return Configurations
                .Select(c => new FileInfo(Path.Combine(bin, c, "net10.0", FileName)))
                .Where(f => f.Exists)
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Select(f => f.FullName)
                .FirstOrDefault();
        }

        return null;
    }
}
