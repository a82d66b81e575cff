using System.Globalization;

namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>
/// The serval-worker processes of one local-mode run, found in /proc: workers whose command line or working
/// directory mentions the run's state directory (model files and logs live there), so parallel runs never mix.
/// </summary>
internal static class WorkerProcesses
{
    public static IReadOnlyList<int> Of(string stateDirectory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!cmdline.Contains("serval-worker", StringComparison.Ordinal))
                {
                    continue;
                }

                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName ?? string.Empty;
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (cmdline.Contains(stateDirectory, StringComparison.Ordinal)
                    || cwd.StartsWith(stateDirectory, StringComparison.Ordinal)
                    || environ.Contains(stateDirectory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }

        return found;
    }
}
