using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Serval.Operator.Revisions;

namespace Serval.Operator.Reconciliation;

/// <summary>
/// Decides whether a child needs applying, so that a resync where nothing changed writes nothing.
/// A child is up to date when (1) its <see cref="ServalLabels.AppliedHashAnnotation"/> equals the hash of the
/// desired object, which catches changes of ours, including fields we stopped setting, and (2) every field of
/// the desired object has the same value in the live one, which catches edits by others (drift). Fields the
/// server or others add are ignored; lists must have the same length and match element by element.
/// </summary>
public static class AppliedState
{
    /// <summary>Stamps <paramref name="desired"/> with the hash of its content.</summary>
    public static void Stamp<T>(T desired)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        desired.Metadata.Annotations?.Remove(ServalLabels.AppliedHashAnnotation);
        var hash = RevisionHash.OfObject(desired);
        desired.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        desired.Metadata.Annotations[ServalLabels.AppliedHashAnnotation] = hash;
    }

    /// <summary>True when <paramref name="live"/> already holds everything <paramref name="desired"/> (stamped) says.</summary>
    public static bool UpToDate<T>(T desired, T? live)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (live is null)
        {
            return false;
        }

        var want = ServalLabels.ValueOf(desired.Metadata.Annotations, ServalLabels.AppliedHashAnnotation);
        var have = ServalLabels.ValueOf(live.Metadata?.Annotations, ServalLabels.AppliedHashAnnotation);
        return want is not null && want == have && Contains(JsonNode.Parse(KubernetesJson.Serialize(live)), JsonNode.Parse(KubernetesJson.Serialize(desired)));
    }

    /// <summary>True when every field of <paramref name="subset"/> has the same value in <paramref name="whole"/>.</summary>
    public static bool Contains(JsonNode? whole, JsonNode? subset)
    {
        switch (subset)
        {
            case null:
                return true;
            case JsonObject want:
                if (whole is not JsonObject have)
                {
                    return false;
                }

                foreach (var (key, value) in want)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (!have.TryGetPropertyValue(key, out var actual) || !Contains(actual, value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray wantArray:
                if (whole is not JsonArray haveArray || haveArray.Count != wantArray.Count)
                {
                    return false;
                }

                for (var i = 0; i < wantArray.Count; i++)
                {
                    if (!Contains(haveArray[i], wantArray[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return whole is JsonValue && JsonNode.DeepEquals(whole, subset);
        }
    }
}
