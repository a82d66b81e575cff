using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace Serval.LocalCluster.Local.Workloads;

/// <summary>
/// The <c>pod-template-hash</c> of a Deployment's pod template, the way the Deployment controller forms it:
/// FNV-1a (32 bit) over the template, with the collision count mixed in, its decimal digits written in the
/// vowel-free alphabet that never spells words.
/// </summary>
public static class PodTemplateHash
{
    /// <summary>The label the hash is stored under on ReplicaSets and pods.</summary>
    public const string Label = "pod-template-hash";

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var bytes = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template));
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        if (collisionCount is { } count)
        {
            foreach (var b in BitConverter.GetBytes(count))
            {
                hash = (hash ^ b) * 16777619u;
            }
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var encoded = new StringBuilder(digits.Length);
        foreach (var c in digits)
        {
            encoded.Append(Alphabet[c % Alphabet.Length]);
        }

        return encoded.ToString();
    }
}
