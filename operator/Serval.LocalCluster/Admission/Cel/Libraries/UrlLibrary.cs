using Cel;

namespace Serval.LocalCluster.Admission.Cel.Libraries;

/// <summary>Kubernetes' CEL URL library: url, isURL, getScheme, getHost, getHostname, getPort, getEscapedPath, getQuery.</summary>
internal static class UrlLibrary
{
    public static readonly string[] Names =
        ["url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery"];

    public static void Register(CelEnvironment env)
    {
        var u = typeof(KubernetesUrl);
        env.RegisterFunction("url", [typeof(string)], a => Parse(CelArgs.Str(a[0])));
        env.RegisterFunction("isURL", [typeof(string)], a => KubernetesUrl.TryParse(CelArgs.Str(a[0]), out _, out _));
        env.RegisterFunction("getScheme", [u], a => ((KubernetesUrl)a[0]!).Scheme);
        env.RegisterFunction("getHost", [u], a => ((KubernetesUrl)a[0]!).Host);
        env.RegisterFunction("getHostname", [u], a => ((KubernetesUrl)a[0]!).Hostname);
        env.RegisterFunction("getPort", [u], a => ((KubernetesUrl)a[0]!).Port);
        env.RegisterFunction("getEscapedPath", [u], a => ((KubernetesUrl)a[0]!).EscapedPath);
        env.RegisterFunction("getQuery", [u], a => ((KubernetesUrl)a[0]!).Query());
    }

    private static KubernetesUrl Parse(string text) =>
        KubernetesUrl.TryParse(text, out var url, out var error)
            ? url!
            : throw new CelEvaluationException($"URL parse error during conversion from string: {error}");
}
