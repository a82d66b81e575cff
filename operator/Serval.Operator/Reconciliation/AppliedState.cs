using System.Text.Json;
using k8s;
using k8s.Models;
using Serval.Controllers.Serialization;
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
        if (want is null || want != have)
        {
            return false;
        }

        using var liveJson = JsonSerializer.SerializeToDocument(live, live.GetType(), KubernetesSerialization.Options);
        using var desiredJson = JsonSerializer.SerializeToDocument(desired, desired.GetType(), KubernetesSerialization.Options);
        return Contains(liveJson.RootElement, desiredJson.RootElement);
    }

    /// <summary>True when every field of <paramref name="subset"/> has the same value in <paramref name="whole"/>.</summary>
    public static bool Contains(JsonElement whole, JsonElement subset)
    {
        switch (subset.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return true;
            case JsonValueKind.Object:
                if (whole.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                foreach (var property in subset.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }

                    if (!whole.TryGetProperty(property.Name, out var actual) || !Contains(actual, property.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                if (whole.ValueKind != JsonValueKind.Array || whole.GetArrayLength() != subset.GetArrayLength())
                {
                    return false;
                }

                using (var have = whole.EnumerateArray())
                {
                    foreach (var wanted in subset.EnumerateArray())
                    {
                        have.MoveNext();
                        if (!Contains(have.Current, wanted))
                        {
                            return false;
                        }
                    }
                }

                return true;
            default:
                return whole.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null) && JsonElement.DeepEquals(whole, subset);
        }
    }
}
