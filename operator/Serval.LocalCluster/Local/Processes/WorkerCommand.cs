using System.Globalization;
using k8s.Models;

namespace Serval.LocalCluster.Local.Processes;

/// <summary>
/// The command line and environment of one container run as a local process: the container's args with
/// the listen port set to the pod's real port and the address to loopback, and every argument or
/// environment value under a volume's mountPath pointed at the directory that stands in for the volume.
/// </summary>
public sealed record WorkerCommand(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Builds the command of <paramref name="container"/>. <paramref name="mounts"/> maps each mountPath to
    /// its local directory; <paramref name="environment"/> holds the container's env already resolved.
    /// </summary>
    public static WorkerCommand For(
        V1Container container,
        int? port,
        IReadOnlyDictionary<string, string> mounts,
        IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(environment);

        // Longest first, so /var/run/serval/model wins over /var/run.
        var byLength = mounts.OrderByDescending(m => m.Key.Length).ToList();
        var args = new List<string>();
        var source = container.Args ?? [];
        var sawPort = false;
        var sawHost = false;
        for (var i = 0; i < source.Count; i++)
        {
            var arg = source[i];
            if (port is { } p && (arg == "--port") && i + 1 < source.Count)
            {
                args.Add(arg);
                args.Add(Number(p));
                i++;
                sawPort = true;
                continue;
            }

            if (port is { } q && arg.StartsWith("--port=", StringComparison.Ordinal))
            {
                args.Add($"--port={Number(q)}");
                sawPort = true;
                continue;
            }

            if (arg == "--host" && i + 1 < source.Count)
            {
                args.AddRange(["--host", "127.0.0.1"]);
                i++;
                sawHost = true;
                continue;
            }

            if (arg.StartsWith("--host=", StringComparison.Ordinal))
            {
                args.Add("--host=127.0.0.1");
                sawHost = true;
                continue;
            }

            args.Add(Remap(arg, byLength));
        }

        if (port is { } listen && !sawPort)
        {
            args.AddRange(["--port", Number(listen)]);
        }

        if (!sawHost)
        {
            args.AddRange(["--host", "127.0.0.1"]);
        }

        var env = environment.ToDictionary(e => e.Key, e => Remap(e.Value, byLength), StringComparer.Ordinal);
        return new WorkerCommand(args, env);
    }

    /// <summary>
    /// <paramref name="value"/> with a leading mountPath (the whole value, a path below it, or the value of
    /// a <c>--flag=</c> argument) replaced by its local directory.
    /// </summary>
    public static string Remap(string value, IReadOnlyList<KeyValuePair<string, string>> mounts)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(mounts);
        var equals = value.StartsWith("--", StringComparison.Ordinal) ? value.IndexOf('=', StringComparison.Ordinal) : -1;
        var prefix = equals >= 0 ? value[..(equals + 1)] : string.Empty;
        var path = equals >= 0 ? value[(equals + 1)..] : value;
        if (path.StartsWith("file://", StringComparison.Ordinal))
        {
            prefix += "file://";
            path = path["file://".Length..];
        }

        foreach (var (mountPath, local) in mounts)
        {
            var trimmed = mountPath.TrimEnd('/');
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (path == trimmed)
            {
                return prefix + local;
            }

            if (path.StartsWith(trimmed + "/", StringComparison.Ordinal))
            {
                return prefix + Path.Combine(local, path[(trimmed.Length + 1)..]);
            }
        }

        return value;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
