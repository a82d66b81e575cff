using System.Diagnostics;
using System.Text.RegularExpressions;
using Serval.Worker.Tests.Support;

namespace Serval.Worker.Tests.Packaging;

/// <summary>
/// No Docker engine here, so this runs what the Dockerfile runs: its build stage's COPY lines
/// (honouring Dockerfile.dockerignore) into a fresh context, then each variant's `dotnet publish`
/// line as written.
/// </summary>
public sealed partial class DockerfilePublishTests
{
    private static readonly string DockerfilePath = RepositoryPaths.Combine("runtime-image", "Dockerfile");

    /// <summary>The Dockerfile's instructions by stage, continuation lines joined.</summary>
    private static Dictionary<string, List<string>> Stages()
    {
        var stages = new Dictionary<string, List<string>>();
        List<string>? current = null;
        var logical = "";
        foreach (var raw in File.ReadAllLines(DockerfilePath))
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

            var from = FromPattern().Match(instruction);
            if (from.Success)
            {
                current = [];
                stages[from.Groups[1].Value] = current;
            }
            else
            {
                current?.Add(instruction);
            }
        }

        return stages;
    }

    private static string PrepareContext(TempDirectory context)
    {
        var ignored = File.ReadAllLines(RepositoryPaths.Combine("runtime-image", "Dockerfile.dockerignore"))
            .Where(l => l.StartsWith("**/", StringComparison.Ordinal))
            .Select(l => l[3..].TrimEnd('/'))
            .ToHashSet();
        foreach (var copy in Stages()["source"].Where(i => i.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var destination = parts[^1];
            foreach (var source in parts[..^1])
            {
                var from = RepositoryPaths.Combine(source.TrimEnd('/'));
                var to = destination.EndsWith('/') && !Directory.Exists(from)
                    ? Path.Combine(context.Path, destination, Path.GetFileName(source))
                    : Path.Combine(context.Path, destination.TrimEnd('/'));
                if (destination == "./")
                {
                    to = Path.Combine(context.Path, Path.GetFileName(source));
                }

                CopyTree(from, to, ignored);
            }
        }

        return context.Path;
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

    private static async Task<(int Code, string Output)> Run(string workingDirectory, string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static async Task<string> PublishAsync(string stage, TempDirectory context, TempDirectory output)
    {
        var publish = Stages()[stage].Single(i => i.StartsWith("RUN dotnet publish", StringComparison.Ordinal))[4..];
        var command = publish.Replace(" -o /out", $" -o {output.Path}", StringComparison.Ordinal) + " -nologo -v quiet";
        var (code, log) = await Run(PrepareContext(context), command);
        Assert.That(code, Is.Zero, $"{command}\n{log}");
        return output.Path;
    }

    [Test]
    public void Dockerfile_HasCpuAndGpuTargetsThatRunAsNonRoot()
    {
        var stages = Stages();

        Assert.Multiple(() =>
        {
            Assert.That(stages.Keys, Is.SupersetOf(new[] { "source", "build-cpu", "build-gpu", "cpu", "gpu" }));
            Assert.That(stages["cpu"], Has.Some.Match("^USER (app|[1-9][0-9]*)"));
            Assert.That(stages["gpu"], Has.Some.Match("^USER [1-9][0-9]*"));
        });
    }

    [Test]
    public async Task CpuPublish_ProducesARunnableWorkerWithTheCpuRuntime()
    {
        using var context = new TempDirectory();
        using var output = new TempDirectory();

        var published = await PublishAsync("build-cpu", context, output);
        var (code, help) = await Run(published, "dotnet serval-worker.dll --help");

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(published, "libonnxruntime.so")), Is.True);
            Assert.That(File.Exists(Path.Combine(published, "libonnxruntime_providers_cuda.so")), Is.False);
            Assert.That(code, Is.Zero, help);
            Assert.That(help, Does.StartWith("usage: serval-worker"));
        });
    }

    [Test]
    public async Task GpuPublish_BringsTheCudaProvider()
    {
        using var context = new TempDirectory();
        using var output = new TempDirectory();

        var published = await PublishAsync("build-gpu", context, output);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(published, "libonnxruntime_providers_cuda.so")), Is.True);
            Assert.That(File.Exists(Path.Combine(published, "serval-worker")), Is.True, "self-contained apphost");
            Assert.That(File.Exists(Path.Combine(published, "libcoreclr.so")), Is.True, "self-contained runtime");
        });
    }

    [GeneratedRegex(@"^FROM \S+ AS (\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();
}
