using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Serval.Api.V1Alpha1;
using Serval.Controllers.Serialization;

namespace Serval.Operator.Revisions;

/// <summary>
/// The revision of a spec: a short hash of everything that shapes a pod (model, runtime, batching, resources,
/// accelerator, scheduling). Autoscaling, rollout and traffic settings are left out, so changing them never
/// restarts pods. The hash is of a canonical JSON form (object keys sorted), so it is stable across runs,
/// processes and the order fields were written in.
/// </summary>
public static class RevisionHash
{
    /// <summary>The hash's length: what fits after <c>&lt;name&gt;-</c> in a 63-character name.</summary>
    public const int Length = InferenceService.RevisionHashMaxLength;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The revision hash of <paramref name="spec"/>.</summary>
    public static string Of(ResolvedSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var shape = new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["uri"] = spec.Model.Uri.Uri,
                ["sha256"] = spec.Model.Sha256,
                ["name"] = spec.Model.Name,
            },
            ["runtime"] = new JsonObject
            {
                ["image"] = spec.Runtime.Image,
                ["executionProvider"] = spec.Runtime.ExecutionProvider.ToString(),
                ["intraOpThreads"] = spec.Runtime.IntraOpThreads,
                ["authToken"] = spec.Runtime.AuthToken is { } token ? $"{token.Name}/{token.Key}" : null,
            },
            ["batching"] = new JsonObject
            {
                ["maxBatchSize"] = spec.Batching.MaxBatchSize,
                ["maxQueueDelayMicroseconds"] = spec.Batching.MaxQueueDelayMicroseconds,
                ["maxQueueLength"] = spec.Batching.MaxQueueLength,
            },
            ["resources"] = Node(spec.Resources),
            ["accelerator"] = spec.Accelerator is { } a ? new JsonObject { ["product"] = a.Product, ["minMemoryMiB"] = a.MinMemoryMiB } : null,
            ["scheduling"] = Node(spec.Scheduling),
        };
        using var document = JsonSerializer.SerializeToDocument(shape);
        return Base32(CanonicalJson.Sha256(document.RootElement))[..Length];
    }

    /// <summary>A hash of any JSON-serializable value in canonical form (used to detect changed children).</summary>
    public static string OfObject(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var document = JsonSerializer.SerializeToDocument(value, value.GetType(), KubernetesSerialization.Options);
        return Convert.ToHexStringLower(CanonicalJson.Sha256(document.RootElement))[..16];
    }

    private static JsonNode? Node(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));

    private static string Base32(byte[] bytes)
    {
        var builder = new StringBuilder((bytes.Length * 8 / 5) + 1);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            builder.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return builder.ToString();
    }
}
