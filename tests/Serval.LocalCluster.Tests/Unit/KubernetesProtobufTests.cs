using Google.Protobuf;
using Serval.LocalCluster.Server;

namespace Serval.LocalCluster.Tests.Unit;

public sealed class KubernetesProtobufTests
{
    [Test]
    public void Decode_ConfigMap_ReadsMetadataDataAndBinaryData()
    {
        var metadata = Message(w =>
        {
            Text(w, 1, "settings");
            Text(w, 3, string.Empty);
            Entry(w, 11, "app", Text("web"));
        });
        var configMap = Message(w =>
        {
            Bytes(w, 1, metadata);
            Entry(w, 2, "mode", Text("fast"));
            Entry(w, 3, "blob", [1, 2, 3]);
        });

        var obj = KubernetesProtobuf.Decode(Envelope("v1", "ConfigMap", configMap));

        Assert.That(obj.ToJsonString(), Is.EqualTo(
            """{"metadata":{"name":"settings","labels":{"app":"web"}},"data":{"mode":"fast"},"binaryData":{"blob":"AQID"},"apiVersion":"v1","kind":"ConfigMap"}"""));
    }

    [Test]
    public void Decode_DeleteOptions_ReadsPropagationAndPreconditions()
    {
        var preconditions = Message(w => Text(w, 1, "uid-1"));
        var options = Message(w =>
        {
            Bytes(w, 2, preconditions);
            Text(w, 4, "Foreground");
        });

        var obj = KubernetesProtobuf.Decode(Envelope("meta.k8s.io/v1", "DeleteOptions", options));

        Assert.That(obj["propagationPolicy"]!.GetValue<string>(), Is.EqualTo("Foreground"));
        Assert.That(obj["preconditions"]!["uid"]!.GetValue<string>(), Is.EqualTo("uid-1"));
    }

    [Test]
    public void Decode_UnsupportedKind_Is415NamingIt()
    {
        var error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(Envelope("apps/v1", "Deployment", [])));

        Assert.That(error!.Code, Is.EqualTo(415));
        Assert.That(error.Message, Does.Contain("not Deployment"));
    }

    [Test]
    public void Decode_WithoutMagicPrefix_IsBadRequest()
    {
        var error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode([1, 2, 3, 4, 5]));

        Assert.That(error!.Code, Is.EqualTo(400));
    }

    private static byte[] Envelope(string apiVersion, string kind, byte[] raw)
    {
        var typeMeta = Message(w =>
        {
            Text(w, 1, apiVersion);
            Text(w, 2, kind);
        });
        var unknown = Message(w =>
        {
            Bytes(w, 1, typeMeta);
            Bytes(w, 2, raw);
        });
        return [.. "k8s\0"u8.ToArray(), .. unknown];
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return buffer.ToArray();
    }

    private static byte[] Text(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    private static void Text(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void Bytes(CodedOutputStream output, int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
    }

    private static void Entry(CodedOutputStream output, int field, string key, byte[] value) =>
        Bytes(output, field, Message(w =>
        {
            Text(w, 1, key);
            Bytes(w, 2, value);
        }));
}
