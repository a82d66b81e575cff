using k8s;
using k8s.Models;
using Serval.Controllers.Cache;

namespace Serval.Operator.Reconciliation;

internal static partial class InferenceServiceReconcilerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "InferenceService {Key}: invalid spec: {Message}")]
    public static partial void InvalidSpec(ILogger logger, ObjectKey key, string message);

    public static void Applied(ILogger logger, ObjectKey key, IKubernetesObject<V1ObjectMeta> child) =>
        Applied(logger, key, child.Kind, child.Metadata.Name);

    public static void NotOwned(ILogger logger, ObjectKey key, IKubernetesObject<V1ObjectMeta> child) =>
        NotOwned(logger, key, child.Kind, child.Metadata.Name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "InferenceService {Key}: applied {Kind} {Name}")]
    public static partial void Applied(ILogger logger, ObjectKey key, string kind, string name);

    public static void Deleted(ILogger logger, ObjectKey key, IKubernetesObject<V1ObjectMeta> child) =>
        Deleted(logger, key, child.Kind, child.Metadata.Name);

    public static void StatusWritten(ILogger logger, IKubernetesObject<V1ObjectMeta> service) =>
        StatusWritten(logger, service.Metadata.NamespaceProperty, service.Metadata.Name);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "InferenceService {Key}: deleted {Kind} {Name} of a retired revision")]
    public static partial void Deleted(ILogger logger, ObjectKey key, string kind, string name);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "InferenceService {Key}: {Kind} {Name} exists and is not controlled by it; leaving it alone")]
    public static partial void NotOwned(ILogger logger, ObjectKey key, string kind, string name);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "InferenceService {Namespace}/{Name}: status written")]
    public static partial void StatusWritten(ILogger logger, string @namespace, string name);
}
