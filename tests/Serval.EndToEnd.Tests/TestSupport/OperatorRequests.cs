using System.Collections.Concurrent;
using Serval.LocalCluster.Requests;

namespace Serval.EndToEnd.Tests.TestSupport;

/// <summary>
/// Every kind of API request the operator made during the end-to-end run (user agent <c>serval-operator</c>), so
/// that the Helm chart's ClusterRole can be checked against what the operator really does. Written at the end of
/// the run to <c>TestResults/operator-api-requests.tsv</c> in the repository: one line per distinct
/// <c>verb group resource subresource scope</c> (tab-separated; empty group is the core group, subresource
/// <c>-</c> when none, scope <c>namespaced</c> or <c>cluster</c>), sorted.
/// </summary>
internal static class OperatorRequests
{
    public const string UserAgent = "serval-operator";

    private static readonly ConcurrentDictionary<string, byte> Seen = new(StringComparer.Ordinal);

    public static string OutputPath => Repository.File(Path.Combine("TestResults", "operator-api-requests.tsv"));

    public static void Record(IEnumerable<RequestRecord> requests)
    {
        foreach (var r in requests.Where(r => r.UserAgent == UserAgent && r.Resource.Length > 0))
        {
            Seen.TryAdd(string.Join('\t', r.Verb, r.Group, r.Resource, r.Subresource ?? "-", r.Namespace is null ? "cluster" : "namespaced"), 0);
        }
    }

    public static void Write()
    {
        if (Seen.IsEmpty)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(OutputPath)!);
        File.WriteAllLines(OutputPath, ["# verb\tgroup\tresource\tsubresource\tscope", .. Seen.Keys.Order(StringComparer.Ordinal)]);
    }
}
