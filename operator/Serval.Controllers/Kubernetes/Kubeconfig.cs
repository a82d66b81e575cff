using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Serval.Controllers.Kubernetes;

/// <summary>
/// Reads kubeconfig files with kubectl's loading rules: an explicit file; else every file in <c>$KUBECONFIG</c>
/// (separated by the platform's path separator; missing files skipped; the first file to name a cluster, user or
/// context wins, and so does the first <c>current-context</c>); else <c>~/.kube/config</c>. Paths inside a file
/// (certificate-authority, client-certificate, client-key, an exec command with a directory) are relative to
/// that file.
/// </summary>
/// <remarks>
/// KubernetesClient's own loader parses through <c>KubernetesYaml</c>, whose type map enumerates and loads every
/// one of the library's ~6,000 model types: about 25 MiB of resident memory and 150 ms of start-up spent on a file
/// of a few lines. This reads the same <see cref="K8SConfiguration"/> model with a plain YAML deserializer and hands
/// it to <see cref="KubernetesClientConfiguration.BuildConfigFromConfigObject"/>, so contexts, TLS, tokens and exec
/// plugins behave as they do there.
/// </remarks>
public static class Kubeconfig
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>The client configuration from one file, for its current context or <paramref name="context"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="KubeConfigException">The file is not a usable kubeconfig.</exception>
    public static KubernetesClientConfiguration FromFile(string path, string? context = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"kubeconfig '{path}' does not exist", full);
        }

        return Build(Read(full), context, full);
    }

    /// <summary>
    /// The client configuration from <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>; null when neither names an
    /// existing file.
    /// </summary>
    public static KubernetesClientConfiguration? FromEnvironment(string? context = null)
    {
        var paths = SearchPaths(Environment.GetEnvironmentVariable("KUBECONFIG"), HomeDirectory());
        var existing = paths.Where(File.Exists).ToList();
        return existing.Count == 0 ? null : Build(Merge(existing.Select(Read)), context, string.Join(Path.PathSeparator, existing));
    }

    /// <summary>
    /// The files kubectl would read: every entry of <paramref name="kubeconfigVariable"/> when it is set (empty
    /// entries dropped), otherwise <c>.kube/config</c> under <paramref name="home"/>.
    /// </summary>
    public static IReadOnlyList<string> SearchPaths(string? kubeconfigVariable, string? home)
    {
        if (!string.IsNullOrEmpty(kubeconfigVariable))
        {
            return kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        return string.IsNullOrEmpty(home) ? [] : [Path.Combine(home, ".kube", "config")];
    }

    /// <summary>One file's model, its relative paths made absolute against the file's directory.</summary>
    /// <exception cref="KubeConfigException">The file is not YAML of a kubeconfig.</exception>
    public static K8SConfiguration Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        K8SConfiguration? config;
        try
        {
            config = Yaml.Deserialize<K8SConfiguration>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"kubeconfig '{path}' is not valid: {e.Message} (line {e.Start.Line}, column {e.Start.Column})");
        }

        config ??= new K8SConfiguration();
        config.FileName = path;
        ResolvePaths(config, Path.GetDirectoryName(path) ?? Directory.GetCurrentDirectory());
        return config;
    }

    /// <summary>kubectl's merge: the first file to name a cluster, user or context wins, as does the first current-context.</summary>
    public static K8SConfiguration Merge(IEnumerable<K8SConfiguration> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var all = configs.ToList();
        if (all.Count == 1)
        {
            return all[0];
        }

        return new K8SConfiguration
        {
            ApiVersion = all.Select(c => c.ApiVersion).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            Kind = all.Select(c => c.Kind).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            CurrentContext = all.Select(c => c.CurrentContext).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            Clusters = FirstByName(all.SelectMany(c => c.Clusters ?? []), c => c.Name),
            Users = FirstByName(all.SelectMany(c => c.Users ?? []), u => u.Name),
            Contexts = FirstByName(all.SelectMany(c => c.Contexts ?? []), c => c.Name),
            Preferences = all.Select(c => c.Preferences).FirstOrDefault(p => p is { Count: > 0 }),
            Extensions = FirstByName(all.SelectMany(c => c.Extensions ?? []), e => e.Name),
            FileName = all[0].FileName,
        };
    }

    private static KubernetesClientConfiguration Build(K8SConfiguration config, string? context, string source)
    {
        if (string.IsNullOrEmpty(context ?? config.CurrentContext))
        {
            throw new KubeConfigException($"kubeconfig '{source}' has no current-context and none was given");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }

    private static List<T> FirstByName<T>(IEnumerable<T> items, Func<T, string?> name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return items.Where(i => name(i) is not { } n || seen.Add(n)).ToList();
    }

    private static void ResolvePaths(K8SConfiguration config, string directory)
    {
        string? Resolve(string? path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

        foreach (var endpoint in (config.Clusters ?? []).Select(c => c.ClusterEndpoint).OfType<ClusterEndpoint>())
        {
            endpoint.CertificateAuthority = Resolve(endpoint.CertificateAuthority);
        }

        foreach (var credentials in (config.Users ?? []).Select(u => u.UserCredentials).OfType<UserCredentials>())
        {
            credentials.ClientCertificate = Resolve(credentials.ClientCertificate);
            credentials.ClientKey = Resolve(credentials.ClientKey);

            // As kubectl: a bare command is looked up on PATH; one with a directory is relative to the file.
            if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                exec.Command = Resolve(command);
            }
        }
    }

    private static string? HomeDirectory() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
