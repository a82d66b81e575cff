using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Serval.LocalCluster.Server;

/// <summary>
/// Reads the Kubernetes protobuf encoding ("k8s\0" + runtime.Unknown) for the kinds kubectl's generators send that
/// way (<c>kubectl create namespace|configmap|secret|serviceaccount</c>, helm's release Secrets and DeleteOptions). Everything else on the wire is JSON; other
/// kinds in protobuf are refused with 415, naming the ones accepted.
/// </summary>
internal static class KubernetesProtobuf
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private static readonly Message OwnerReference = new(new()
    {
        [1] = new("kind", FieldKind.String), [3] = new("name", FieldKind.String), [4] = new("uid", FieldKind.String),
        [5] = new("apiVersion", FieldKind.String), [6] = new("controller", FieldKind.Bool), [7] = new("blockOwnerDeletion", FieldKind.Bool),
    });

    private static readonly Message ObjectMeta = new(new()
    {
        [1] = new("name", FieldKind.String), [2] = new("generateName", FieldKind.String), [3] = new("namespace", FieldKind.String),
        [5] = new("uid", FieldKind.String), [6] = new("resourceVersion", FieldKind.String), [7] = new("generation", FieldKind.Int64),
        [11] = new("labels", FieldKind.StringMap), [12] = new("annotations", FieldKind.StringMap),
        [13] = new("ownerReferences", FieldKind.RepeatedMessage, OwnerReference), [14] = new("finalizers", FieldKind.RepeatedString),
    });

    private static readonly Message ObjectReference = new(new()
    {
        [1] = new("kind", FieldKind.String), [2] = new("namespace", FieldKind.String), [3] = new("name", FieldKind.String),
        [4] = new("uid", FieldKind.String), [5] = new("apiVersion", FieldKind.String), [7] = new("fieldPath", FieldKind.String),
    });

    private static readonly Dictionary<string, Message> Kinds = new(StringComparer.Ordinal)
    {
        ["Namespace"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta),
            [2] = new("spec", FieldKind.Message, new Message(new() { [1] = new("finalizers", FieldKind.RepeatedString) })),
        }),
        ["ConfigMap"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta), [2] = new("data", FieldKind.StringMap),
            [3] = new("binaryData", FieldKind.BytesMap), [4] = new("immutable", FieldKind.Bool),
        }),
        ["Secret"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta), [2] = new("data", FieldKind.BytesMap), [3] = new("type", FieldKind.String),
            [4] = new("stringData", FieldKind.StringMap), [5] = new("immutable", FieldKind.Bool),
        }),
        ["DeleteOptions"] = new(new()
        {
            [1] = new("gracePeriodSeconds", FieldKind.Int64),
            [2] = new("preconditions", FieldKind.Message, new Message(new() { [1] = new("uid", FieldKind.String), [2] = new("resourceVersion", FieldKind.String) })),
            [3] = new("orphanDependents", FieldKind.Bool), [4] = new("propagationPolicy", FieldKind.String), [5] = new("dryRun", FieldKind.RepeatedString),
        }),
        ["ServiceAccount"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta), [2] = new("secrets", FieldKind.RepeatedMessage, ObjectReference),
            [3] = new("imagePullSecrets", FieldKind.RepeatedMessage, new Message(new() { [1] = new("name", FieldKind.String) })),
            [4] = new("automountServiceAccountToken", FieldKind.Bool),
        }),
    };

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("protobuf body does not start with the Kubernetes magic prefix");
        }

        string? apiVersion = null;
        string? kind = null;
        ByteString? raw = null;
        try
        {
            var input = new CodedInputStream(body, Magic.Length, body.Length - Magic.Length);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        var typeMeta = new CodedInputStream(input.ReadBytes().ToByteArray());
                        uint inner;
                        while ((inner = typeMeta.ReadTag()) != 0)
                        {
                            switch (WireFormat.GetTagFieldNumber(inner))
                            {
                                case 1: apiVersion = typeMeta.ReadString(); break;
                                case 2: kind = typeMeta.ReadString(); break;
                                default: typeMeta.SkipLastField(); break;
                            }
                        }

                        break;
                    case 2:
                        raw = input.ReadBytes();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiException.BadRequest($"protobuf body is malformed: {e.Message}");
        }

        if (kind is null || !Kinds.TryGetValue(kind, out var message))
        {
            throw ApiException.UnsupportedMediaType(
                $"protobuf is accepted for {string.Join(", ", Kinds.Keys.Where(k => k != "DeleteOptions"))} only, not {kind ?? "an unnamed kind"}; send JSON (kubectl apply -f / create -f)");
        }

        try
        {
            var obj = Read(raw?.ToByteArray() ?? [], message);
            obj["apiVersion"] = apiVersion ?? "v1";
            obj["kind"] = kind;
            return obj;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiException.BadRequest($"protobuf {kind} is malformed: {e.Message}");
        }
    }

    private static JsonObject Read(byte[] bytes, Message message)
    {
        var result = new JsonObject();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!message.Fields.TryGetValue(WireFormat.GetTagFieldNumber(tag), out var field))
            {
                input.SkipLastField();
                continue;
            }

            switch (field.Kind)
            {
                // Kubernetes' generated code writes empty strings and zeros; JSON omits them, so do we.
                case FieldKind.String:
                    if (input.ReadString() is { Length: > 0 } text)
                    {
                        result[field.Name] = text;
                    }

                    break;
                case FieldKind.Int64:
                    if (input.ReadInt64() is not 0 and var number)
                    {
                        result[field.Name] = number;
                    }

                    break;
                case FieldKind.Bool:
                    result[field.Name] = input.ReadBool();
                    break;
                case FieldKind.Message:
                    result[field.Name] = Read(input.ReadBytes().ToByteArray(), field.Nested!);
                    break;
                case FieldKind.RepeatedString:
                    Array(result, field.Name).Add(input.ReadString());
                    break;
                case FieldKind.RepeatedMessage:
                    Array(result, field.Name).Add(Read(input.ReadBytes().ToByteArray(), field.Nested!));
                    break;
                case FieldKind.StringMap or FieldKind.BytesMap:
                    var (key, value) = Entry(input.ReadBytes().ToByteArray(), field.Kind == FieldKind.BytesMap);
                    if (result[field.Name] is not JsonObject map)
                    {
                        map = new JsonObject();
                        result[field.Name] = map;
                    }

                    map[key] = value;
                    break;
            }
        }

        return result;
    }

    private static (string Key, string Value) Entry(byte[] bytes, bool binary)
    {
        var input = new CodedInputStream(bytes);
        var key = string.Empty;
        var value = string.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = binary ? Convert.ToBase64String(input.ReadBytes().ToByteArray()) : input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (key, value);
    }

    private static JsonArray Array(JsonObject obj, string name)
    {
        if (obj[name] is not JsonArray array)
        {
            array = [];
            obj[name] = array;
        }

        return array;
    }

    private enum FieldKind
    {
        String,
        Int64,
        Bool,
        Message,
        RepeatedString,
        RepeatedMessage,
        StringMap,
        BytesMap,
    }

    private sealed record Field(string Name, FieldKind Kind, Message? Nested = null);

    private sealed record Message(Dictionary<int, Field> Fields);
}
